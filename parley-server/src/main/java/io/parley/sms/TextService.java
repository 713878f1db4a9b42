package io.parley.sms;

import io.parley.agents.AgentDirectory;
import io.parley.agents.AgentSnapshot;
import io.parley.compliance.AddedBy;
import io.parley.compliance.ComplianceGate;
import io.parley.compliance.DncSource;
import io.parley.compliance.DoNotCallList;
import io.parley.compliance.GateDecision;
import io.parley.shared.Actor;
import io.parley.shared.AuditEvent;
import io.parley.shared.ConflictException;
import io.parley.shared.InvalidInputException;
import io.parley.shared.LogSafe;
import io.parley.shared.NotFoundException;
import io.parley.shared.Organisations;
import io.parley.sms.MessageEvent.MessageReceived;
import io.parley.sms.MessageEvent.MessageStatusChanged;
import io.parley.sms.MessageRepository.Located;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Sends texts, takes in Twilio's messaging webhooks, and applies the keywords of inbound texts.
 *
 * <p>A send runs in a fixed order: the request, the agent and its number, whether Twilio can be
 * reached at all, then the compliance gate at the moment of sending. The message is written and
 * committed before Twilio is asked (a crash in between leaves a {@code pending} row, never a second
 * text), and Twilio's answer is written in a second transaction with its event.
 */
@Service
class TextService implements TextWebhooks {

  private static final Logger log = LoggerFactory.getLogger(TextService.class);

  /** Twilio's errors Parley names in words (the status callback carries only the code). */
  private static final Map<Integer, String> ERRORS =
      Map.of(
          21610, "Attempt to send to unsubscribed recipient",
          30003, "Unreachable destination handset",
          30004, "Message blocked",
          30005, "Unknown destination handset",
          30006, "Landline or unreachable carrier",
          30007, "Message filtered by the carrier",
          30008, "Unknown error");

  private static final int MAX_INBOUND_BODY = 4000;
  private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[\\x21-\\x7e]{1,255}");

  private final MessageRepository messages;
  private final AgentDirectory agents;
  private final ComplianceGate gate;
  private final DoNotCallList dnc;
  private final TextCarrier carrier;
  private final SmsSettings settings;
  private final ApplicationEventPublisher events;
  private final TransactionTemplate tx;
  private final Clock clock;

  TextService(
      MessageRepository messages,
      AgentDirectory agents,
      ComplianceGate gate,
      DoNotCallList dnc,
      TextCarrier carrier,
      SmsSettings settings,
      ApplicationEventPublisher events,
      PlatformTransactionManager transactions,
      ObjectProvider<Clock> clock) {
    this.messages = messages;
    this.agents = agents;
    this.gate = gate;
    this.dnc = dnc;
    this.carrier = carrier;
    this.settings = settings;
    this.events = events;
    this.tx = new TransactionTemplate(transactions);
    this.clock = clock.getIfUnique(Clock::systemUTC);
  }

  // ---- sending --------------------------------------------------------------------------------

  /** The message sent, or the earlier one when the Idempotency-Key was used before. */
  record Sent(TextMessage message, boolean created) {}

  /**
   * Sends one text from the agent's number; throws a problem detail for each refusal. A request
   * with an Idempotency-Key already used for the same agent, recipient and text returns that
   * message (whatever its status, and even if the rules would refuse it now: it must never look
   * like a refusal of a text already sent); used for another message, 409.
   */
  Sent send(UUID organisationId, SendRequest request, String idempotencyKey, Actor actor) {
    if (idempotencyKey != null && !IDEMPOTENCY_KEY.matcher(idempotencyKey).matches()) {
      throw new InvalidInputException(
          "Idempotency-Key", "must be 1 to 255 printable ASCII characters without spaces");
    }
    if (idempotencyKey != null) {
      Optional<TextMessage> earlier =
          messages.findByIdempotencyKey(organisationId, idempotencyKey, false);
      if (earlier.isPresent()) {
        return new Sent(same(earlier.get(), request, idempotencyKey), false);
      }
    }
    AgentSnapshot agent =
        agents
            .snapshot(organisationId, request.agentId())
            .orElseThrow(() -> new InvalidInputException("agentId", "no agent has this id"));
    String from = agent.config().twilioNumber();
    if (from == null || from.isBlank()) {
      throw new InvalidInputException(
          "agentId", "has no number: give the agent a twilioNumber to text from");
    }
    carrier
        .notReady()
        .ifPresent(
            reason -> {
              throw SmsRefusal.notConfigured(reason);
            });
    if (gate.checkText(organisationId, request.to(), request.timeZone())
        instanceof GateDecision.Refused refused) {
      throw switch (refused.rule()) {
        case DO_NOT_CALL -> SmsRefusal.doNotCall(request.to());
        case ZONE_UNKNOWN -> new InvalidInputException("timeZone", refused.reason());
        case OUTSIDE_WINDOW -> SmsRefusal.outsideWindow(refused.window());
        // A manual text is not telemarketing and has no lead: only a failed check is left.
        case NUMBER_CAP,
            CONSENT_MISSING,
            ATTEMPTS_USED,
            CHECK_FAILED,
            REGISTRY_DNC,
            REGISTRY_MISSING,
            REGISTRY_STALE ->
            SmsRefusal.checkFailed(refused);
      };
    }
    Instant now = now();
    TextMessage pending =
        new TextMessage(
            UUID.randomUUID(),
            agent.agentId(),
            MessageDirection.OUTBOUND,
            from,
            request.to(),
            request.body(),
            null,
            MessageStatus.PENDING,
            null,
            null,
            null,
            null,
            null,
            0,
            now,
            now,
            actor,
            idempotencyKey);
    try {
      tx.executeWithoutResult(status -> written(organisationId, pending, actor));
    } catch (DuplicateKeyException raced) {
      // Another request with the same key wrote first: its message.
      TextMessage earlier =
          tx.execute(s -> messages.findByIdempotencyKey(organisationId, idempotencyKey, true))
              .orElseThrow(() -> raced);
      return new Sent(same(earlier, request, idempotencyKey), false);
    }
    UUID id = pending.id();
    TextCarrier.Accepted accepted;
    try {
      accepted = carrier.send(new TextCarrier.OutgoingText(id, from, request.to(), request.body()));
    } catch (TextCarrierException e) {
      refusedByCarrier(organisationId, pending, e);
      if (e.errorCode() != null && e.errorCode() == TextCarrierException.UNSUBSCRIBED) {
        throw SmsRefusal.unsubscribed(id, request.to());
      }
      throw switch (e.kind()) {
        case REFUSED -> SmsRefusal.refused(id, e);
        case NOT_CONFIGURED -> SmsRefusal.notConfigured(e.getMessage());
        case UNAVAILABLE -> SmsRefusal.twilioFailed(id, e.getMessage());
      };
    } catch (RuntimeException e) {
      refusedByCarrier(
          organisationId,
          pending,
          new TextCarrierException(
              TextCarrierException.Kind.UNAVAILABLE, null, "send failed: " + e, e));
      throw e;
    }
    MessageStatus status =
        MessageStatus.parse(accepted.status())
            .filter(s -> s.rank >= MessageStatus.ACCEPTED.rank)
            .orElse(MessageStatus.QUEUED);
    tx.executeWithoutResult(
        s ->
            advance(
                new Located(organisationId, pending),
                accepted.sid(),
                status,
                null,
                null,
                accepted.numSegments(),
                now()));
    log.info("Sent text {} as {}", id, accepted.sid());
    return new Sent(find(organisationId, id), true);
  }

  /** Writes the message before Twilio is asked, with its audit entry. */
  private void written(UUID organisationId, TextMessage pending, Actor actor) {
    messages.insert(organisationId, pending);
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("to", pending.to());
    details.put("from", pending.from());
    details.put("agentId", pending.agentId().toString());
    events.publishEvent(
        new AuditEvent(
            actor.userId(),
            actor.email(),
            "sms.sent",
            "sms_message",
            pending.id().toString(),
            details));
  }

  /** The earlier message of a reused key, if the request is the same one. */
  private static TextMessage same(TextMessage earlier, SendRequest request, String key) {
    if (earlier.direction() != MessageDirection.OUTBOUND
        || !request.agentId().equals(earlier.agentId())
        || !request.to().equals(earlier.to())
        || !request.body().equals(earlier.body())) {
      throw new ConflictException("Idempotency-Key " + key + " was used for a different message");
    }
    return earlier;
  }

  /**
   * Marks the message failed; Twilio's error 21610 also puts the recipient on the list. When Twilio
   * could not be reached at all, nobody knows whether it took the message (the answer may have been
   * lost on the way back): the message stays {@code pending} with the problem noted, and a status
   * callback, if Twilio did take it, still moves it on.
   */
  private void refusedByCarrier(UUID organisationId, TextMessage message, TextCarrierException e) {
    log.warn("Twilio did not take text {}: {}", message.id(), LogSafe.text(e.getMessage()));
    if (e.kind() == TextCarrierException.Kind.UNAVAILABLE && e.errorCode() == null) {
      tx.executeWithoutResult(s -> messages.note(message.id(), truncated(e.getMessage()), now()));
      return;
    }
    tx.executeWithoutResult(
        s -> {
          advance(
              new Located(organisationId, message),
              null,
              MessageStatus.FAILED,
              e.errorCode(),
              e.getMessage(),
              null,
              now());
          if (e.errorCode() != null && e.errorCode() == TextCarrierException.UNSUBSCRIBED) {
            unsubscribedAtCarrier(organisationId, message);
          }
        });
  }

  TextMessage find(UUID organisationId, UUID id) {
    return messages
        .find(organisationId, id)
        .orElseThrow(() -> new NotFoundException("No message " + id));
  }

  // ---- status callbacks -----------------------------------------------------------------------

  @Override
  @Transactional
  public void status(StatusReport report) {
    Optional<MessageStatus> status = MessageStatus.parse(report.status());
    if (status.isEmpty()) {
      log.warn(
          "Ignored status callback for {} with unknown MessageStatus {}",
          LogSafe.text(report.sid()),
          LogSafe.text(report.status()));
      return;
    }
    Optional<Located> found = messages.locate(report.messageId(), report.sid());
    if (found.isEmpty()) {
      log.info("Ignored status callback for unknown message {}", LogSafe.text(report.sid()));
      return;
    }
    Located located = found.get();
    TextMessage message = located.message();
    if (message.twilioSid() != null && !message.twilioSid().equals(report.sid())) {
      log.warn(
          "Ignored status callback: message {} is {}, the callback names {}",
          message.id(),
          message.twilioSid(),
          LogSafe.text(report.sid()));
      return;
    }
    advance(located, report.sid(), status.get(), report.errorCode(), null, null, report.at());
    if (report.errorCode() != null
        && report.errorCode() == TextCarrierException.UNSUBSCRIBED
        && message.direction() == MessageDirection.OUTBOUND) {
      unsubscribedAtCarrier(located.organisationId(), message);
    }
  }

  /** Applies a status if it moves the message forward, and publishes the change. */
  private void advance(
      Located located,
      String sid,
      MessageStatus status,
      Integer errorCode,
      String errorMessage,
      Integer numSegments,
      Instant at) {
    TextMessage message = located.message();
    Instant when = at.truncatedTo(ChronoUnit.MICROS);
    String why =
        truncated(
            errorMessage != null ? errorMessage : errorCode == null ? null : ERRORS.get(errorCode));
    if (messages.advance(message.id(), sid, status, errorCode, why, numSegments, when)) {
      events.publishEvent(
          new MessageStatusChanged(
              located.organisationId(),
              message.id(),
              sid != null ? sid : message.twilioSid(),
              status.wire(),
              errorCode,
              when));
    }
  }

  /**
   * Twilio error 21610: the recipient texted STOP to the sender at some point (perhaps before the
   * number pointed at Parley). A revocation covers calls and texts, so the number joins the
   * company-wide do-not-call list.
   */
  private void unsubscribedAtCarrier(UUID organisationId, TextMessage message) {
    try {
      dnc.add(
          organisationId,
          message.to(),
          DncSource.OPT_OUT_SMS,
          "Twilio error 21610: opted out of texts from " + message.from() + " at the carrier",
          new AddedBy.Text(message.id()));
    } catch (InvalidInputException e) {
      log.warn(
          "Could not put the recipient of text {} on the do-not-call list: {}",
          message.id(),
          e.getMessage());
    }
  }

  // ---- inbound --------------------------------------------------------------------------------

  @Override
  @Transactional
  public Optional<Reply> received(InboundText text) {
    Optional<Located> earlier = messages.findBySid(text.sid());
    if (earlier.isPresent()) {
      // Twilio retried the webhook: the same answer, nothing applied twice.
      return replyOf(earlier.get().message().id());
    }
    if (text.body().length() > MAX_INBOUND_BODY) {
      throw new InvalidInputException(
          "Body", "must be at most " + MAX_INBOUND_BODY + " characters");
    }
    Optional<AgentSnapshot> agent = agents.findByNumber(text.to());
    UUID organisationId = agent.map(AgentSnapshot::organisationId).orElse(Organisations.DEFAULT_ID);
    UUID agentId = agent.map(AgentSnapshot::agentId).orElse(null);
    Keyword keyword = Keyword.of(text.body()).orElse(null);
    Instant now = now();
    TextMessage inbound =
        new TextMessage(
            UUID.randomUUID(),
            agentId,
            MessageDirection.INBOUND,
            text.from(),
            text.to(),
            text.body(),
            text.sid(),
            MessageStatus.RECEIVED,
            null,
            null,
            keyword,
            null,
            text.numSegments(),
            text.numMedia(),
            now,
            now,
            null,
            null);
    try {
      messages.insert(organisationId, inbound);
    } catch (DuplicateKeyException raced) {
      // The same webhook, handled meanwhile by another request: its answer.
      return messages.findBySid(text.sid()).flatMap(m -> replyOf(m.message().id()));
    }
    events.publishEvent(
        new MessageReceived(
            organisationId, inbound.id(), text.sid(), text.from(), text.to(), text.body(), now));
    if (keyword == null) {
      return Optional.empty();
    }
    log.info("Text {} is the keyword {}", text.sid(), keyword);
    String reply =
        switch (keyword) {
          case OPT_OUT -> {
            optOut(organisationId, inbound);
            yield settings.optOutReply();
          }
          case OPT_IN -> {
            optIn(organisationId, inbound);
            yield settings.optInReply();
          }
          case HELP -> settings.helpText();
        };
    if (reply == null) {
      return Optional.empty();
    }
    TextMessage answer =
        new TextMessage(
            UUID.randomUUID(),
            agentId,
            MessageDirection.OUTBOUND,
            text.to(),
            text.from(),
            reply,
            null,
            MessageStatus.PENDING,
            null,
            null,
            null,
            inbound.id(),
            null,
            0,
            now,
            now,
            null,
            null);
    messages.insert(organisationId, answer);
    return Optional.of(new Reply(answer.id(), reply));
  }

  private Optional<Reply> replyOf(UUID inboundId) {
    return messages.replyTo(inboundId).map(m -> new Reply(m.id(), m.body()));
  }

  /** An opt-out word: the sender joins the company-wide list (calls and texts alike). */
  private void optOut(UUID organisationId, TextMessage inbound) {
    try {
      dnc.add(
          organisationId,
          inbound.from(),
          DncSource.OPT_OUT_SMS,
          "texted " + quoted(inbound.body()) + " to " + inbound.to(),
          new AddedBy.Text(inbound.id()));
    } catch (InvalidInputException e) {
      // A short code or an alphanumeric sender: not a number anyone dials.
      log.warn(
          "Opt-out by text {} not put on the do-not-call list: {}", inbound.id(), e.getMessage());
    }
  }

  /** START or UNSTOP: lifts an SMS opt-out only; a list entry of any other kind stays. */
  private void optIn(UUID organisationId, TextMessage inbound) {
    try {
      Optional<?> removed =
          dnc.removeTextOptOut(
              organisationId,
              inbound.from(),
              "texted " + quoted(inbound.body()) + " to " + inbound.to(),
              inbound.id());
      if (removed.isEmpty()) {
        log.info(
            "Text {} is an opt-in: no SMS opt-out to lift (an entry of another kind, if any,"
                + " stays)",
            inbound.id());
      }
    } catch (InvalidInputException e) {
      log.warn("Opt-in by text {} ignored: {}", inbound.id(), e.getMessage());
    }
  }

  private static String truncated(String text) {
    return text == null || text.length() <= 500 ? text : text.substring(0, 500);
  }

  private static String quoted(String body) {
    String word = body.strip();
    return word.length() > 20 ? word.substring(0, 20) : word;
  }

  // Truncated to what both databases store, so a response equals what a later read returns.
  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }
}
