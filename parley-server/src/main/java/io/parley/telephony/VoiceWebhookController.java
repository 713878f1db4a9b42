package io.parley.telephony;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.parley.agents.AgentDirectory;
import io.parley.agents.AgentSnapshot;
import io.parley.calls.CallDirection;
import io.parley.calls.CallOutcome;
import io.parley.calls.CallRecord;
import io.parley.calls.CallRecords;
import io.parley.calls.CallStatus;
import io.parley.calls.CreatedCall;
import io.parley.calls.NewCall;
import io.parley.media.MediaLoad;
import io.parley.shared.InvalidInputException;
import io.parley.shared.LogSafe;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Answers Twilio's voice webhook: the number's voice URL for inbound calls, and the {@code Url} of
 * a call Parley placed (with {@code ?call=<id>}) once it is answered. A call Parley can take is
 * connected to a media stream with a single-use token; one it cannot take hears a polite sentence
 * and is hung up, and the refusal is recorded. Twilio never gets an error page from here (the
 * signature filter in front answers 403 to requests Twilio did not sign).
 */
@RestController
@RequestMapping(
    consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE,
    produces = MediaType.TEXT_XML_VALUE)
class VoiceWebhookController {

  private static final Logger log = LoggerFactory.getLogger(VoiceWebhookController.class);
  private static final Pattern SID = Pattern.compile("[A-Za-z0-9]{1,64}");

  static final String NO_AGENT =
      "Sorry, this number is not in service. Please check the number and try again. Goodbye.";
  static final String BUSY =
      "Sorry, all of our lines are busy right now. Please call again in a few minutes. Goodbye.";
  static final String UNAVAILABLE =
      "Sorry, we cannot take your call right now. Please try again later. Goodbye.";

  private final AgentDirectory agents;
  private final CallRecords records;
  private final CallCapacity capacity;
  private final MediaTokens tokens;
  private final PublicUrls urls;
  private final AgentReadiness readiness;
  private final MediaLoad load;
  private final Counter refusedAtCap;
  private final Counter refusedOverloaded;

  VoiceWebhookController(
      AgentDirectory agents,
      CallRecords records,
      CallCapacity capacity,
      MediaTokens tokens,
      PublicUrls urls,
      AgentReadiness readiness,
      MediaLoad load,
      MeterRegistry meters) {
    this.agents = agents;
    this.records = records;
    this.capacity = capacity;
    this.tokens = tokens;
    this.urls = urls;
    this.readiness = readiness;
    this.load = load;
    this.refusedAtCap = CallCapacity.refusals(meters, "inbound", CallCapacity.AT_CAP);
    this.refusedOverloaded = CallCapacity.refusals(meters, "inbound", CallCapacity.OVERLOADED);
  }

  @PostMapping(PublicUrls.VOICE)
  ResponseEntity<String> voice(
      @RequestParam MultiValueMap<String, String> params, HttpServletRequest request) {
    String callSid = sid(params);
    String placed = request.getParameter("call");
    if (placed != null) {
      return ResponseEntity.ok(answeredOutbound(parseId(placed), callSid, params, request));
    }
    return ResponseEntity.ok(inbound(callSid, params, request));
  }

  /**
   * The {@code action} of the stream's {@code <Connect>}: the stream has ended and the call would
   * otherwise go on to the next verb. Nothing follows a conversation, so Twilio hangs up.
   */
  @PostMapping(PublicUrls.STREAM_ENDED)
  ResponseEntity<String> streamEnded(@RequestParam MultiValueMap<String, String> params) {
    log.debug("Stream of call {} ended", LogSafe.text(params.getFirst("CallSid")));
    return ResponseEntity.ok(Twiml.hangUp());
  }

  private String inbound(
      String callSid, MultiValueMap<String, String> params, HttpServletRequest request) {
    String from = party(params, "From");
    String to = party(params, "To");
    Optional<AgentSnapshot> agent = agents.findByNumber(to);
    if (agent.isEmpty()) {
      CreatedCall call = records.create(inboundCall(callSid, from, to, null).build());
      refuse(call.id(), "no agent answers " + to);
      log.info("Inbound call {} to {}: no agent answers this number", callSid, LogSafe.text(to));
      return Twiml.sayAndHangUp(NO_AGENT);
    }
    AgentSnapshot snapshot = agent.get();
    CreatedCall call =
        records.create(
            inboundCall(callSid, from, to, snapshot)
                .prompt(snapshot.promptId(), readiness.promptVersion(snapshot))
                .build());
    if (!call.created()) {
      Optional<String> settled = answerAgain(call.id());
      if (settled.isPresent()) {
        log.info("Inbound call {} asked again after it was settled", callSid);
        return settled.get();
      }
    }
    Optional<String> problem = readiness.problem(snapshot);
    if (problem.isPresent()) {
      records.setOutcome(call.id(), CallOutcome.SYSTEM_ERROR, problem.get());
      log.warn("Inbound call {} refused: {}", callSid, problem.get());
      return Twiml.sayAndHangUp(UNAVAILABLE);
    }
    if (load.overloaded()) {
      refuse(call.id(), "media loops overloaded");
      refusedOverloaded.increment();
      log.warn("Inbound call {} refused: this node's media loops are overloaded", callSid);
      return Twiml.sayAndHangUp(BUSY);
    }
    if (!capacity.tryAcquire(call.id())) {
      refuse(call.id(), "concurrency cap of " + capacity.limit() + " calls reached");
      refusedAtCap.increment();
      log.warn("Inbound call {} refused: {} calls already active", callSid, capacity.active());
      return Twiml.sayAndHangUp(BUSY);
    }
    records.applyStatus(
        call.id(), io.parley.calls.StatusUpdate.of(CallStatus.IN_PROGRESS, Instant.now()));
    return connect(call.id(), callSid, request, Map.of());
  }

  private String answeredOutbound(
      UUID callId, String callSid, MultiValueMap<String, String> params, HttpServletRequest req) {
    Optional<CallRecord> found = records.find(callId);
    if (found.isEmpty() || found.get().direction() != CallDirection.OUTBOUND) {
      log.warn("Answer webhook for unknown outbound call {} ({})", callId, callSid);
      return Twiml.hangUp();
    }
    CallRecord call = found.get();
    if (call.twilioCallSid() == null) {
      records.attachCallSid(callId, callSid);
    } else if (!call.twilioCallSid().equals(callSid)) {
      log.warn(
          "Answer webhook for call {} names CallSid {}, not {}",
          callId,
          callSid,
          call.twilioCallSid());
      return Twiml.hangUp();
    }
    if (call.agentSnapshotJson() == null || call.promptVersion() == null) {
      // Nobody could talk on it (a call made outside the dialer): hang up rather than go silent.
      records.setOutcome(callId, CallOutcome.SYSTEM_ERROR, "the call has no agent to talk");
      capacity.release(callId);
      return Twiml.hangUp();
    }
    String answeredBy = params.getFirst("AnsweredBy");
    if (answeredBy != null && !answeredBy.isBlank()) {
      records.setAnsweredBy(callId, answeredBy.strip());
      Optional<CallOutcome> machine = CallCallbacks.nonHuman(answeredBy.strip());
      if (machine.isPresent()) {
        records.setOutcome(
            callId, machine.get(), "answering-machine detection: " + answeredBy.strip());
        capacity.release(callId);
        return Twiml.hangUp();
      }
    }
    if (call.outcome() != null) {
      // Hung up through the API, or a machine verdict arrived first: do not start talking.
      capacity.release(callId);
      return Twiml.hangUp();
    }
    records.applyStatus(
        callId, io.parley.calls.StatusUpdate.of(CallStatus.IN_PROGRESS, Instant.now()));
    boolean verdictPending =
        OutboundDial.ASYNC_AMD.equals(req.getParameter("amd"))
            && (answeredBy == null || answeredBy.isBlank());
    return connect(
        callId,
        callSid,
        req,
        verdictPending ? Map.of(StreamStart.AWAIT_ANSWERED_BY, "true") : Map.of());
  }

  private String connect(
      UUID callId, String callSid, HttpServletRequest request, Map<String, String> extra) {
    // This node answers the call (an outbound call may have been dialled by another node, a
    // retried webhook may reach another node than the first); the media stream may claim it again.
    records.claim(callId);
    URI base = urls.base(request);
    String token = tokens.issue(callId, callSid, base);
    Map<String, String> parameters = new java.util.LinkedHashMap<>(extra);
    parameters.put(MediaStreamHandler.TOKEN_PARAMETER, token);
    parameters.put("callId", callId.toString());
    return Twiml.connectStream(
        urls.mediaStream(base),
        parameters,
        URI.create(urls.webhook(base, PublicUrls.STREAM_ENDED) + "?call=" + callId));
  }

  /**
   * The answer to a repeated webhook (Twilio retrying after a timeout) for a call that was already
   * refused or is over: the same refusal again, never a stream, and no place taken. A call refused
   * at the cap stays refused even when a place has freed up since, because its record already says
   * so.
   */
  private Optional<String> answerAgain(UUID callId) {
    CallRecord call = records.find(callId).orElse(null);
    if (call == null || call.outcome() == null) {
      return Optional.empty();
    }
    if (call.endedAt() != null) {
      return Optional.of(Twiml.hangUp());
    }
    return Optional.of(
        switch (call.outcome()) {
          case REJECTED -> Twiml.sayAndHangUp(BUSY);
          case SYSTEM_ERROR -> Twiml.sayAndHangUp(UNAVAILABLE);
          default -> Twiml.hangUp();
        });
  }

  private void refuse(UUID callId, String reason) {
    records.setOutcome(callId, CallOutcome.REJECTED, reason);
  }

  private static NewCall.Builder inboundCall(
      String callSid, String from, String to, AgentSnapshot agent) {
    NewCall.Builder call =
        NewCall.builder(CallDirection.INBOUND, from, to)
            .status(CallStatus.RINGING)
            .callSid(callSid);
    if (agent != null) {
      call.organisation(agent.organisationId()).agent(agent.agentId(), agent.configJson());
    }
    return call;
  }

  private static String sid(MultiValueMap<String, String> params) {
    String value = params.getFirst("CallSid");
    if (value == null || !SID.matcher(value).matches()) {
      throw new InvalidInputException("CallSid", "is required: 1 to 64 letters and digits");
    }
    return value;
  }

  private static String party(MultiValueMap<String, String> params, String name) {
    String value = params.getFirst(name);
    if (value == null || value.isBlank()) {
      // Twilio sends "anonymous" for withheld numbers, so an absent value is a malformed request.
      throw new InvalidInputException(name, "is required");
    }
    return value.strip();
  }

  private static UUID parseId(String text) {
    try {
      return UUID.fromString(text);
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException("call", "must be a call id");
    }
  }
}
