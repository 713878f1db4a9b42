package io.parley.webhooks;

import io.parley.sms.MessageEvent;
import java.time.Instant;
import java.util.UUID;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Turns text-message facts into {@code message.received} and {@code message.status}, in the
 * transaction that stored them; the message is the subject, so each message's events are numbered
 * in order.
 */
@Component
class MessageWebhooks {

  private final OutboxWriter outbox;

  MessageWebhooks(OutboxWriter outbox) {
    this.outbox = outbox;
  }

  @EventListener
  void on(MessageEvent event) {
    switch (event) {
      case MessageEvent.MessageReceived received ->
          outbox.record(
              received.organisationId(),
              WebhookEventType.MESSAGE_RECEIVED,
              received.messageId(),
              new ReceivedData(
                  received.messageId(),
                  received.sid(),
                  received.from(),
                  received.to(),
                  received.body(),
                  received.at()));
      case MessageEvent.MessageStatusChanged changed ->
          outbox.record(
              changed.organisationId(),
              WebhookEventType.MESSAGE_STATUS,
              changed.messageId(),
              new StatusData(
                  changed.messageId(),
                  changed.sid(),
                  changed.status(),
                  changed.errorCode(),
                  changed.at()));
    }
  }

  /** The {@code data} of {@code message.received}. */
  record ReceivedData(
      UUID messageId, String sid, String from, String to, String body, Instant at) {}

  /** The {@code data} of {@code message.status}: Twilio's status and error code. */
  record StatusData(UUID messageId, String sid, String status, Integer errorCode, Instant at) {}
}
