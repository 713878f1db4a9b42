package io.parley.playground;

/**
 * How a call would have ended at this point of the conversation: a tool hung up or transferred. The
 * session takes no more messages after it (clear it, or start another).
 *
 * @param action {@code hang_up} or {@code transfer}
 * @param outcome the call's outcome as the API spells it, e.g. {@code opted_out}
 * @param detail what the tool would have done, e.g. "would transfer the call to Sales (+1…)"
 */
record Ending(String action, String outcome, String detail) {}
