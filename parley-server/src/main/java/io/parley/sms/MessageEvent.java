package io.parley.sms;

import java.time.Instant;
import java.util.UUID;

/**
 * Business facts about text messages, published with Spring's ApplicationEventPublisher inside the
 * transaction that wrote them (use {@code @TransactionalEventListener} to act after commit).
 */
public sealed interface MessageEvent {

  UUID organisationId();

  UUID messageId();

  /**
   * A text arrived on one of the account's numbers and was stored (once per Twilio MessageSid:
   * Twilio's retries of the same webhook publish nothing).
   */
  record MessageReceived(
      UUID organisationId,
      UUID messageId,
      String sid,
      String from,
      String to,
      String body,
      Instant at)
      implements MessageEvent {}

  /**
   * A message Parley sent moved on: {@code status} is Twilio's spelling ({@code queued}, {@code
   * sent}, {@code delivered}, {@code undelivered}, {@code failed}, ...); {@code errorCode} is
   * Twilio's error code with undelivered and failed, else null. Published only when the stored
   * status changes (duplicated or late callbacks publish nothing). {@code sid} is null when Twilio
   * refused the message outright.
   */
  record MessageStatusChanged(
      UUID organisationId, UUID messageId, String sid, String status, Integer errorCode, Instant at)
      implements MessageEvent {}
}
