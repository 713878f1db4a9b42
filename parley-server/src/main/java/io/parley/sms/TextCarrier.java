package io.parley.sms;

import java.util.Optional;
import java.util.UUID;

/**
 * Sends text messages through the carrier (Twilio's Messages resource). Defined here and
 * implemented by telephony, which owns the Twilio account and the webhook URLs, so this module
 * never depends on telephony.
 */
public interface TextCarrier {

  /**
   * Why no message can be sent at all right now (Twilio not configured, Parley's public URL
   * unknown), as a sentence naming the setting; empty when sending is possible.
   */
  Optional<String> notReady();

  /**
   * Asks the carrier to send the message, with status callbacks that name {@code messageId}. Sent
   * once, never retried here: a repeated create would text the recipient twice.
   *
   * @throws TextCarrierException when the carrier refuses or cannot be reached
   */
  Accepted send(OutgoingText text);

  /**
   * One message to send.
   *
   * @param messageId Parley's id, carried by the status callback URL
   * @param from one of the account's numbers, E.164
   * @param to the recipient, E.164
   * @param body the text, at most 1600 characters
   */
  record OutgoingText(UUID messageId, String from, String to, String body) {}

  /**
   * What the carrier answered.
   *
   * @param sid the MessageSid ({@code SM...})
   * @param status Twilio's status of the new message ({@code queued}, or {@code accepted})
   * @param numSegments how many SMS segments the body takes, or null when not said
   */
  record Accepted(String sid, String status, Integer numSegments) {}
}
