package io.parley.compliance;

/**
 * The result of adding a number to the do-not-call list.
 *
 * @param entry the active entry for the number: the new one, or the one that was already there
 * @param created true when this call added it, false when it was already on the list
 */
public record DncAddition(DncEntry entry, boolean created) {}
