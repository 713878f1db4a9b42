package io.parley.sms;

import java.time.Instant;
import java.util.UUID;

/**
 * Which messages a list shows; null fields do not filter.
 *
 * @param number either party (the sender or the recipient), as Twilio names it
 * @param direction inbound or outbound
 * @param status the current status
 * @param agentId the agent whose number sent or received them
 * @param from created at or after
 * @param to created before
 */
record MessageFilter(
    String number,
    MessageDirection direction,
    MessageStatus status,
    UUID agentId,
    Instant from,
    Instant to) {}
