package io.parley.calls;

/**
 * What a status update did.
 *
 * @param before the status before the update
 * @param after the status after it (equal to {@code before} when the update was stale)
 * @param moved whether the status advanced; false for duplicates and late arrivals, which may still
 *     have filled a missing time or duration
 */
public record StatusChange(CallStatus before, CallStatus after, boolean moved) {}
