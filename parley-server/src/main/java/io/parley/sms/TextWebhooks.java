package io.parley.sms;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * What telephony hands over from Twilio's messaging webhooks, once their signature is checked. Both
 * are idempotent: Twilio retries a webhook that timed out, and status callbacks can arrive twice or
 * out of order.
 */
public interface TextWebhooks {

  /**
   * An inbound text ({@code /twilio/sms}): stored, its keyword honoured. Returns the reply Parley
   * sends in its TwiML answer, if any (the same one again for a retried webhook).
   */
  Optional<Reply> received(InboundText text);

  /** A status callback ({@code /twilio/sms-status}) of a message Parley sent. */
  void status(StatusReport report);

  /**
   * An inbound text as Twilio posts it.
   *
   * @param sid MessageSid
   * @param from the sender, as Twilio names it
   * @param to the account's number that received it
   * @param body the text (may be empty, for a picture message)
   * @param numMedia how many media items came with it
   * @param numSegments how many SMS segments it took, or null
   */
  record InboundText(
      String sid, String from, String to, String body, int numMedia, Integer numSegments) {}

  /**
   * A reply to send back in the webhook's TwiML {@code <Message>}.
   *
   * @param messageId the reply's id in Parley: its status callback URL carries it
   * @param body the text
   */
  record Reply(UUID messageId, String body) {}

  /**
   * One status callback.
   *
   * @param messageId the id the callback URL carries ({@code ?message=}), or null
   * @param sid MessageSid
   * @param status Twilio's MessageStatus
   * @param errorCode Twilio's ErrorCode, or null
   * @param at when Parley received it
   */
  record StatusReport(UUID messageId, String sid, String status, Integer errorCode, Instant at) {}
}
