package io.parley.sms;

import io.parley.shared.Actor;
import java.time.Instant;
import java.util.UUID;

/**
 * One text message, as stored and as the API shows it.
 *
 * @param id Parley's id
 * @param agentId the agent whose number sent or received it, or null (no agent has the number)
 * @param direction inbound or outbound
 * @param from the sender as Twilio names it
 * @param to the recipient
 * @param body the text
 * @param twilioSid Twilio's MessageSid; null until Twilio has taken the message
 * @param status Twilio's status, or {@code pending} before Twilio answered
 * @param errorCode Twilio's error code for a failed or undelivered message, else null
 * @param errorMessage what went wrong, in words, else null
 * @param keyword what an inbound text was taken for ({@code opt_out}, {@code opt_in}, {@code
 *     help}), else null
 * @param replyTo for a keyword reply, the inbound text it answers; else null
 * @param numSegments the SMS segments Twilio counted, when it said
 * @param numMedia media items with an inbound message
 * @param createdAt when Parley wrote it (received it, or was asked to send it)
 * @param updatedAt when its status last changed
 * @param createdBy who sent it through the API; null for inbound texts and replies
 * @param idempotencyKey the Idempotency-Key it was sent with, or null
 */
record TextMessage(
    UUID id,
    UUID agentId,
    MessageDirection direction,
    String from,
    String to,
    String body,
    String twilioSid,
    MessageStatus status,
    Integer errorCode,
    String errorMessage,
    Keyword keyword,
    UUID replyTo,
    Integer numSegments,
    int numMedia,
    Instant createdAt,
    Instant updatedAt,
    Actor createdBy,
    String idempotencyKey) {}
