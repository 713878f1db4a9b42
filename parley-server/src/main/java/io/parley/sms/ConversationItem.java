package io.parley.sms;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.UUID;

/**
 * One entry of a conversation: a text message or a call, with the fields both have and those of its
 * kind (the others are left out of the JSON).
 *
 * @param kind {@code message} or {@code call}
 * @param id the message's or the call's id ({@code GET /api/messages/{id}} or {@code GET
 *     /api/calls/{id}} shows the rest)
 * @param at when it was created: the text received or asked for, the call placed or answered
 * @param direction inbound or outbound
 * @param from the sender or caller
 * @param to the recipient or callee
 * @param agentId the agent of the message or call, if any
 * @param status the message's or the call's status
 * @param body a message's text
 * @param errorCode a message's Twilio error code
 * @param outcome a call's disposition
 * @param durationSeconds a call's billed length
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record ConversationItem(
    String kind,
    UUID id,
    Instant at,
    String direction,
    String from,
    String to,
    UUID agentId,
    String status,
    String body,
    Integer errorCode,
    String outcome,
    Integer durationSeconds) {

  static ConversationItem of(TextMessage m) {
    return new ConversationItem(
        "message",
        m.id(),
        m.createdAt(),
        m.direction().wire(),
        m.from(),
        m.to(),
        m.agentId(),
        m.status().wire(),
        m.body(),
        m.errorCode(),
        null,
        null);
  }
}
