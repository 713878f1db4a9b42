package io.parley.dialing;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.parley.agents.AgentConfig;
import io.parley.agents.AgentDirectory;
import io.parley.agents.AgentSnapshot;
import io.parley.agents.AmdConfig;
import io.parley.calls.CallDirection;
import io.parley.calls.CallOutcome;
import io.parley.calls.CallRecord;
import io.parley.calls.CallRecords;
import io.parley.calls.CallStatus;
import io.parley.calls.CreatedCall;
import io.parley.calls.NewCall;
import io.parley.calls.StatusUpdate;
import io.parley.compliance.ComplianceGate;
import io.parley.compliance.DialCheck;
import io.parley.compliance.GateDecision;
import io.parley.media.MediaLoad;
import io.parley.prompts.MessageTemplate;
import io.parley.prompts.PromptCatalog;
import io.parley.prompts.RenderInput;
import io.parley.providers.ProviderRegistry;
import io.parley.shared.Actor;
import io.parley.shared.AuditEvent;
import io.parley.shared.ConflictException;
import io.parley.shared.InvalidInputException;
import io.parley.shared.NotFoundException;
import io.parley.shared.Waiting;
import io.parley.telephony.AgentReadiness;
import io.parley.telephony.CallCapacity;
import io.parley.telephony.CallControl;
import io.parley.telephony.CallControlException;
import io.parley.telephony.OutboundDial;
import io.parley.telephony.OutboundDial.MachineDetection;
import io.parley.telephony.PublicUrls;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import tools.jackson.databind.json.JsonMapper;

/**
 * Places one outbound call, by hand ({@link #dial}) or for a campaign's lead ({@link #dialLead}).
 * The checks run in a fixed order, cheapest and most basic first, and each refusal names what to
 * fix: the request, the agent, the compliance gate (do-not-call list, per-number cap, calling
 * window in the callee's zone; for leads also consent and attempts), the prompt with the lead's
 * values, this node's load and capacity. Then a slot of the account's dial pace is booked ({@code
 * PARLEY_TWILIO_CPS}, shared by every node), the attempt is written (committed on its own) and
 * Twilio is asked to dial at that slot, so a crash between the two leaves a row the reconciler
 * closes, never a second ring.
 */
@Service
class Dialer {

  private static final Logger log = LoggerFactory.getLogger(Dialer.class);

  /** How long a client refused at the cap should wait: calls last minutes, not seconds. */
  static final int RETRY_AFTER_SECONDS = 30;

  /** How long a client refused by an overloaded node should wait: it recovers within seconds. */
  static final int OVERLOADED_RETRY_AFTER_SECONDS = 5;

  /** The longest a manual call waits for its slot of the account's dial pace. */
  static final Duration MANUAL_MAX_PACE_WAIT = Duration.ofSeconds(10);

  /** How long a client refused because the account's dial pace is booked out should wait. */
  static final int PACE_RETRY_AFTER_SECONDS = 5;

  /** The longest voicemail text a call stores ({@code call_record.voicemail_message}). */
  static final int VOICEMAIL_MAX = 1000;

  private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[\\x21-\\x7e]{1,255}");

  private final AgentDirectory agents;
  private final AgentReadiness readiness;
  private final ComplianceGate gate;
  private final DialPace pace;
  private final PromptCatalog prompts;
  private final CallCapacity capacity;
  private final CallRecords records;
  private final CallControl control;
  private final PublicUrls urls;
  private final ProviderRegistry providers;
  private final ApplicationEventPublisher events;
  private final JsonMapper json;
  private final Clock clock;
  private final MediaLoad load;
  private final Counter refusedAtCap;
  private final Counter refusedOverloaded;

  Dialer(
      AgentDirectory agents,
      AgentReadiness readiness,
      ComplianceGate gate,
      DialPace pace,
      PromptCatalog prompts,
      CallCapacity capacity,
      CallRecords records,
      CallControl control,
      PublicUrls urls,
      ProviderRegistry providers,
      ApplicationEventPublisher events,
      JsonMapper json,
      Clock clock,
      MediaLoad load,
      MeterRegistry meters) {
    this.agents = agents;
    this.readiness = readiness;
    this.gate = gate;
    this.pace = pace;
    this.prompts = prompts;
    this.capacity = capacity;
    this.records = records;
    this.control = control;
    this.urls = urls;
    this.providers = providers;
    this.events = events;
    this.json = json;
    this.clock = clock;
    this.load = load;
    this.refusedAtCap = CallCapacity.refusals(meters, "outbound", CallCapacity.AT_CAP);
    this.refusedOverloaded = CallCapacity.refusals(meters, "outbound", CallCapacity.OVERLOADED);
  }

  /** The call placed, or the existing one when the idempotency key was used before. */
  record Dialled(CallRecord call, boolean created) {}

  Dialled dial(UUID organisationId, DialRequest request, String idempotencyKey, Actor actor) {
    if (idempotencyKey != null && !IDEMPOTENCY_KEY.matcher(idempotencyKey).matches()) {
      throw new InvalidInputException(
          DialController.IDEMPOTENCY_KEY,
          "must be 1 to 255 printable ASCII characters without spaces");
    }
    if (idempotencyKey != null) {
      // A retry (after a timeout, say) gets the call it placed, even if the window has closed or
      // the node is full since: it must never look like a refusal of a call that is ringing.
      Optional<CallRecord> earlier = records.findByIdempotencyKey(organisationId, idempotencyKey);
      if (earlier.isPresent()) {
        CallRecord call = earlier.get();
        if (call.direction() != CallDirection.OUTBOUND
            || !request.agentId().equals(call.agentId())
            || !request.to().equals(call.toNumber())) {
          throw new ConflictException(
              "Idempotency-Key " + idempotencyKey + " was used for a different call");
        }
        return new Dialled(call, false);
      }
    }
    AgentSnapshot agent =
        agents
            .snapshot(organisationId, request.agentId())
            .orElseThrow(() -> new InvalidInputException("agentId", "no agent has this id"));
    AgentConfig config = agent.config();
    String from = config.twilioNumber();
    if (from == null || from.isBlank()) {
      throw new InvalidInputException(
          "agentId", "has no number: give the agent a twilioNumber to call from");
    }
    if (providers.twilio().isEmpty()) {
      throw DialRefusal.notConfigured(
          "Twilio is not configured: set PARLEY_TWILIO_ACCOUNT_SID and PARLEY_TWILIO_AUTH_TOKEN.");
    }
    URI base =
        urls.base()
            .orElseThrow(
                () ->
                    DialRefusal.notConfigured(
                        "Parley does not know the address Twilio reaches it at: set"
                            + " PARLEY_PUBLIC_URL."));
    readiness
        .missingProvider(config)
        .ifPresent(
            missing -> {
              throw new InvalidInputException("agentId", "cannot talk: " + missing);
            });

    if (gate.check(DialCheck.manual(organisationId, request.to(), request.timeZone()))
        instanceof GateDecision.Refused refused) {
      throw switch (refused.rule()) {
        case DO_NOT_CALL -> DialRefusal.doNotCall(request.to());
        case ZONE_UNKNOWN -> new InvalidInputException("timeZone", refused.reason());
        case OUTSIDE_WINDOW -> DialRefusal.outsideWindow(refused.window());
        case NUMBER_CAP -> DialRefusal.numberCap(request.to(), refused);
        // A manual call is never telemarketing, so the registry rules cannot refuse it.
        case CONSENT_MISSING,
            ATTEMPTS_USED,
            CHECK_FAILED,
            REGISTRY_DNC,
            REGISTRY_MISSING,
            REGISTRY_STALE ->
            DialRefusal.checkFailed(refused);
      };
    }
    Integer promptVersion = readiness.promptVersion(agent);
    if (promptVersion == null) {
      throw new InvalidInputException("agentId", "its prompt no longer exists");
    }
    try {
      prompts.render(
          organisationId,
          agent.promptId(),
          promptVersion,
          new RenderInput(
              request.variables(),
              request.timeZone(),
              config.name(),
              config.timeZone(),
              from,
              request.to()));
    } catch (NotFoundException e) {
      throw new InvalidInputException(
          "agentId", "its prompt version " + promptVersion + " no longer exists");
    }
    String voicemail =
        rendered(
            voicemail(config, null, machineDetection(config.amd(), request.amd())),
            request.variables(),
            config.name(),
            from,
            request.to());

    if (load.overloaded()) {
      refusedOverloaded.increment();
      throw DialRefusal.overloaded(OVERLOADED_RETRY_AFTER_SECONDS);
    }
    UUID reservation = UUID.randomUUID();
    if (!capacity.tryAcquire(reservation)) {
      refusedAtCap.increment();
      throw DialRefusal.atCapacity(capacity.limit(), RETRY_AFTER_SECONDS);
    }
    Instant slot;
    try {
      slot = pace.reserve(List.of(), MANUAL_MAX_PACE_WAIT).orElse(null);
    } catch (RuntimeException e) {
      capacity.release(reservation);
      throw e;
    }
    if (slot == null) {
      capacity.release(reservation);
      throw DialRefusal.paceFull(pace.accountRate(), PACE_RETRY_AFTER_SECONDS);
    }
    CreatedCall created =
        writeAttempt(
            reservation,
            attempt(organisationId, agent, promptVersion, from, request.to(), request.variables())
                .idempotencyKey(idempotencyKey)
                .createdBy(actor)
                .voicemail(voicemail)
                .build());
    if (!created.created()) {
      return new Dialled(find(created.id()), false);
    }
    UUID id = created.id();
    if (!Waiting.until(clock, slot)) {
      fail(id, "interrupted while waiting for its dial slot");
      throw DialRefusal.twilioFailed(id, "The server stopped before the call was placed.");
    }

    OutboundDial dial =
        new OutboundDial(
            id,
            request.to(),
            from,
            base,
            request.ringTimeoutSeconds() == null
                ? OutboundDial.DEFAULT_RING_TIMEOUT_SECONDS
                : request.ringTimeoutSeconds(),
            config.maxCallDurationSeconds(),
            machineDetection(config.amd(), request.amd()).orElse(null));
    String callSid;
    try {
      callSid = control.dial(dial);
    } catch (CallControlException e) {
      throw failed(id, request, actor, e);
    } catch (RuntimeException e) {
      fail(id, "dial failed: " + e.getMessage());
      throw e;
    }
    records.attachCallSid(id, callSid);
    CallRecord call = find(id);
    if (call.outcome() != null) {
      // Hung up through the API while Twilio was being asked: end what Twilio just started.
      hangUpQuietly(callSid);
    }
    audit(actor, "call.dialled", id, details(request, agent, callSid));
    log.info("Dialled call {} to agent {} as {}", id, agent.agentId(), callSid);
    return new Dialled(call, true);
  }

  /**
   * Dials one campaign lead now (the caller has waited for its booked slot). Never throws for a
   * refusal: a campaign's dispatcher needs to know what to do with the lead, not an HTTP answer.
   * The order is the manual path's, with the compliance gate run after the wait, at the moment of
   * dialling.
   */
  LeadDialResult dialLead(UUID organisationId, LeadDial dial) {
    AgentSnapshot agent = agents.snapshot(organisationId, dial.agentId()).orElse(null);
    if (agent == null) {
      return new LeadDialResult.Misconfigured("the campaign's agent no longer exists");
    }
    AgentConfig config = agent.config();
    String from = dial.callerId() != null ? dial.callerId() : config.twilioNumber();
    if (from == null || from.isBlank()) {
      return new LeadDialResult.Misconfigured(
          "the agent has no number and the campaign names no caller id");
    }
    if (providers.twilio().isEmpty()) {
      return new LeadDialResult.Misconfigured("Twilio is not configured");
    }
    URI base = urls.base().orElse(null);
    if (base == null) {
      return new LeadDialResult.Misconfigured("PARLEY_PUBLIC_URL is not set");
    }
    Optional<String> missing = readiness.missingProvider(config);
    if (missing.isPresent()) {
      return new LeadDialResult.Misconfigured("the agent cannot talk: " + missing.get());
    }
    Integer promptVersion =
        dial.promptVersion() != null ? dial.promptVersion() : readiness.promptVersion(agent);
    if (promptVersion == null) {
      return new LeadDialResult.Misconfigured("the agent's prompt no longer exists");
    }
    try {
      prompts.render(
          organisationId,
          agent.promptId(),
          promptVersion,
          new RenderInput(
              dial.variables(),
              dial.check().timeZone(),
              config.name(),
              config.timeZone(),
              from,
              dial.to()));
    } catch (NotFoundException e) {
      return new LeadDialResult.Misconfigured(
          "prompt version " + promptVersion + " of the agent no longer exists");
    } catch (InvalidInputException e) {
      return new LeadDialResult.Unusable("the prompt cannot be rendered: " + e.getMessage());
    }
    Optional<MachineDetection> detection =
        machineDetection(config.amd(), new DialRequest.AmdOverride(dial.amdMode(), null));
    String voicemail;
    try {
      voicemail =
          rendered(
              voicemail(config, dial.voicemailMessage(), detection),
              dial.variables(),
              config.name(),
              from,
              dial.to());
    } catch (InvalidInputException e) {
      return new LeadDialResult.Unusable("the voicemail message: " + e.getMessage());
    }
    if (gate.check(dial.check()) instanceof GateDecision.Refused refused) {
      return new LeadDialResult.Refused(refused);
    }
    if (load.overloaded()) {
      refusedOverloaded.increment();
      return new LeadDialResult.NotNow("this node's media loops are overloaded");
    }
    UUID reservation = UUID.randomUUID();
    if (!capacity.tryAcquire(reservation)) {
      refusedAtCap.increment();
      return new LeadDialResult.NotNow("this node carries as many calls as it may");
    }
    CreatedCall created =
        writeAttempt(
            reservation,
            attempt(organisationId, agent, promptVersion, from, dial.to(), dial.variables())
                .idempotencyKey(dial.idempotencyKey())
                .lead(dial.campaignId(), dial.leadId())
                .safeHarbour(dial.safeHarbourMessage())
                .voicemail(voicemail)
                .voicemailRecording(voicemailRecording(dial.voicemailRecording(), detection))
                .build());
    if (!created.created()) {
      return new LeadDialResult.Placed(created.id());
    }
    UUID id = created.id();
    OutboundDial outbound =
        new OutboundDial(
            id,
            dial.to(),
            from,
            base,
            dial.ringTimeoutSeconds(),
            config.maxCallDurationSeconds(),
            machineDetection(config.amd(), new DialRequest.AmdOverride(dial.amdMode(), null))
                .orElse(null));
    String callSid;
    try {
      callSid = control.dial(outbound);
    } catch (CallControlException e) {
      Instant holdUntil = holdIfRateLimited(e);
      fail(id, "Twilio: " + e.getMessage());
      boolean invalidNumber =
          e.reason() == CallControlException.Reason.INVALID_NUMBER
              && e.twilioCode().filter(code -> code == 21212).isEmpty();
      log.warn("Lead {} ({}) could not be dialled: {}", dial.leadId(), id, e.getMessage());
      return new LeadDialResult.Failed(id, invalidNumber, holdUntil, e.getMessage());
    } catch (RuntimeException e) {
      fail(id, "dial failed: " + e.getMessage());
      log.warn("Lead {} ({}) could not be dialled: {}", dial.leadId(), id, e.toString());
      return new LeadDialResult.Failed(id, false, null, e.toString());
    }
    records.attachCallSid(id, callSid);
    log.info(
        "Dialled lead {} of campaign {} as call {} ({})",
        dial.leadId(),
        dial.campaignId(),
        id,
        callSid);
    return new LeadDialResult.Placed(id);
  }

  /**
   * After Twilio's 429, holds every dial of the account, on every node, for 2 to 4 s: at once,
   * before anything else, so that dials whose slots come next see it. Returns the end of the hold,
   * or null for another failure.
   */
  private Instant holdIfRateLimited(CallControlException e) {
    if (e.reason() != CallControlException.Reason.RATE_LIMITED) {
      return null;
    }
    Instant until = clock.instant().plus(rateLimitBackoff());
    try {
      pace.holdAccount(until);
    } catch (RuntimeException failure) {
      log.warn("Could not hold the account's dials after Twilio's 429: {}", failure.toString());
    }
    return until;
  }

  /** 2 to 4 seconds: jittered, so nodes told at once do not all come back at once. */
  private static Duration rateLimitBackoff() {
    return Duration.ofMillis(
        2_000 + java.util.concurrent.ThreadLocalRandom.current().nextLong(2_000));
  }

  /** An outbound attempt's record as both paths write it. */
  private NewCall.Builder attempt(
      UUID organisationId,
      AgentSnapshot agent,
      int promptVersion,
      String from,
      String to,
      Map<String, String> variables) {
    return NewCall.builder(CallDirection.OUTBOUND, from, to)
        .organisation(organisationId)
        .agent(agent.agentId(), agent.configJson())
        .prompt(agent.promptId(), promptVersion)
        .leadVariables(json.writeValueAsString(variables));
  }

  /**
   * Writes and commits the attempt. The call place taken under {@code reservation} goes to the new
   * call, or back when the record existed already (an idempotency key used before) or could not be
   * written.
   */
  private CreatedCall writeAttempt(UUID reservation, NewCall call) {
    CreatedCall created;
    try {
      created = records.create(call);
    } catch (RuntimeException e) {
      capacity.release(reservation);
      throw e;
    }
    if (created.created()) {
      capacity.transfer(reservation, created.id());
    } else {
      capacity.release(reservation);
    }
    return created;
  }

  /**
   * The message the call leaves on a machine: the campaign's if it has one, else the agent's, when
   * detection runs alongside the call and waits for the greeting's beep. Otherwise a machine is
   * hung up on silently, since without the end of the greeting the message would be spoken into it
   * (or, detecting before connecting, there is no stream to speak on).
   */
  static String voicemail(
      AgentConfig config, String campaignMessage, Optional<MachineDetection> detection) {
    if (!afterBeep(detection)) {
      return null;
    }
    if (campaignMessage != null) {
      return campaignMessage;
    }
    return config.voicemail() != null ? config.voicemail().message() : null;
  }

  /**
   * The chosen voicemail text with the call's values in its placeholders, as stored on the call:
   * the lead's (or request's) variables and the built-ins {@code agent_name}, {@code caller_phone}
   * and {@code callee_phone}; any other name renders empty, as an inbound prompt's missing variable
   * does. Null stays null.
   *
   * @throws InvalidInputException naming {@code variables} when the values make it longer than a
   *     stored message may be, or leave nothing to say
   */
  static String rendered(
      String message, Map<String, String> variables, String agentName, String from, String to) {
    if (message == null) {
      return null;
    }
    // RenderInput keeps the values prompts would see (no nulls); the built-ins win over a column.
    Map<String, String> values = new LinkedHashMap<>(RenderInput.of(variables).variables());
    values.put("agent_name", agentName == null ? "" : agentName);
    values.put("caller_phone", from);
    values.put("callee_phone", to);
    String text = MessageTemplate.render(message, values).strip();
    if (text.isEmpty() || text.length() > VOICEMAIL_MAX) {
      throw new InvalidInputException(
          "variables",
          "make the voicemail message "
              + text.length()
              + " characters long: it must be 1 to "
              + VOICEMAIL_MAX);
    }
    return text;
  }

  /**
   * The campaign's voicemail recording the call plays after the beep instead of any text, under the
   * same condition as {@link #voicemail}; the text chosen alongside is kept for a recording removed
   * before the beep.
   */
  static String voicemailRecording(String campaignRecording, Optional<MachineDetection> detection) {
    return afterBeep(detection) ? campaignRecording : null;
  }

  private static boolean afterBeep(Optional<MachineDetection> detection) {
    return detection
        .filter(d -> d.async() && d.mode() == MachineDetection.Mode.DETECT_MESSAGE_END)
        .isPresent();
  }

  /** The agent's detection with the request's overrides; empty when it ends up off. */
  static Optional<MachineDetection> machineDetection(
      AmdConfig agent, DialRequest.AmdOverride override) {
    String mode = override != null && override.mode() != null ? override.mode() : agent.mode();
    boolean async = override != null && override.async() != null ? override.async() : agent.async();
    MachineDetection.Mode twilio =
        switch (mode) {
          case "enable" -> MachineDetection.Mode.ENABLE;
          case "detect_message_end" -> MachineDetection.Mode.DETECT_MESSAGE_END;
          default -> null;
        };
    if (twilio == null) {
      return Optional.empty();
    }
    return Optional.of(
        new MachineDetection(
            twilio,
            async,
            agent.timeoutSeconds(),
            agent.speechThresholdMs(),
            agent.speechEndThresholdMs(),
            agent.silenceTimeoutMs()));
  }

  private RuntimeException failed(
      UUID id, DialRequest request, Actor actor, CallControlException e) {
    holdIfRateLimited(e);
    fail(id, "Twilio: " + e.getMessage());
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("to", request.to());
    details.put("reason", e.reason().name());
    e.twilioCode().ifPresent(code -> details.put("twilioCode", code));
    audit(actor, "call.dial_failed", id, details);
    log.warn("Call {} to {} could not be dialled: {}", id, request.to(), e.getMessage());
    if (e.reason() == CallControlException.Reason.INVALID_NUMBER) {
      boolean fromRefused = e.twilioCode().filter(code -> code == 21212).isPresent();
      return fromRefused
          ? DialRefusal.numberRefused(
              id, "agentId", "Twilio refused the agent's number as caller id: " + e.getMessage())
          : DialRefusal.numberRefused(id, "to", "Twilio refused the number: " + e.getMessage());
    }
    return DialRefusal.twilioFailed(id, "Twilio could not place the call: " + e.getMessage());
  }

  /**
   * Closes an attempt Twilio never took: the outcome says why, and the status is set final so
   * neither a reconciler nor the list shows it as waiting.
   */
  private void fail(UUID id, String reason) {
    Instant now = clock.instant();
    records.finish(id, CallOutcome.FAILED, reason, now);
    records.applyStatus(id, StatusUpdate.of(CallStatus.FAILED, now));
    capacity.release(id);
  }

  private void hangUpQuietly(String callSid) {
    try {
      control.hangUp(callSid);
    } catch (CallControlException e) {
      log.warn(
          "Could not hang up call {} that was ended while dialling: {}", callSid, e.getMessage());
    }
  }

  private CallRecord find(UUID id) {
    return records.find(id).orElseThrow(() -> new NotFoundException("No call " + id));
  }

  private static Map<String, Object> details(
      DialRequest request, AgentSnapshot agent, String callSid) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("to", request.to());
    details.put("agentId", agent.agentId().toString());
    details.put("callSid", callSid);
    return details;
  }

  private void audit(Actor actor, String action, UUID callId, Map<String, Object> details) {
    events.publishEvent(
        new AuditEvent(actor.userId(), actor.email(), action, "call", callId.toString(), details));
  }
}
