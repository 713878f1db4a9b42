package io.parley.telephony;

import java.net.URI;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * A media stream that began for a call Parley answered or placed.
 *
 * @param callId the call record
 * @param callSid Twilio's call id
 * @param streamSid Twilio's stream id, needed on every outbound message
 * @param parameters the stream's custom parameters (without the token)
 * @param publicBase the base URL Twilio reached Parley at for this call, for callbacks
 * @param startedAt when the {@code start} message arrived: offset 0 of the caller's audio
 */
public record StreamStart(
    UUID callId,
    String callSid,
    String streamSid,
    Map<String, String> parameters,
    URI publicBase,
    Instant startedAt) {

  /**
   * Parameter set when the callee's answering-machine verdict is still to come: the agent waits for
   * {@link AnsweringMachineVerdict} before it speaks, so it never talks to a machine.
   */
  public static final String AWAIT_ANSWERED_BY = "awaitAnsweredBy";

  /** Whether the agent must wait for the answering-machine verdict before speaking. */
  public boolean awaitsAnsweredBy() {
    return "true".equals(parameters.get(AWAIT_ANSWERED_BY));
  }

  public StreamStart {
    Objects.requireNonNull(callId, "callId");
    Objects.requireNonNull(callSid, "callSid");
    Objects.requireNonNull(streamSid, "streamSid");
    parameters = Map.copyOf(parameters);
    Objects.requireNonNull(publicBase, "publicBase");
    Objects.requireNonNull(startedAt, "startedAt");
  }
}
