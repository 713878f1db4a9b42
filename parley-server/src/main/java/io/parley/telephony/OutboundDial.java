package io.parley.telephony;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A call for Twilio to place. Twilio fetches {@code <base>/twilio/voice?call=<callId>} once the
 * callee answers, and reports progress to {@code <base>/twilio/status} (and, with asynchronous
 * answering-machine detection, the verdict to {@code <base>/twilio/amd}).
 *
 * @param callId the call record, written before dialling
 * @param to the callee, E.164
 * @param from the agent's number, E.164
 * @param base where Twilio reaches Parley ({@link PublicUrls#base()})
 * @param ringTimeoutSeconds how long it rings before Twilio gives up with no-answer
 * @param timeLimitSeconds the longest the call may last once answered
 * @param machineDetection answering-machine detection, or null when it is off
 */
public record OutboundDial(
    UUID callId,
    String to,
    String from,
    URI base,
    int ringTimeoutSeconds,
    int timeLimitSeconds,
    MachineDetection machineDetection) {

  /** Twilio's default ring time is 60 s; a call center rings shorter. */
  public static final int DEFAULT_RING_TIMEOUT_SECONDS = 30;

  public OutboundDial {
    Objects.requireNonNull(callId, "callId");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(base, "base");
    if (ringTimeoutSeconds < 1 || ringTimeoutSeconds > 600) {
      throw new IllegalArgumentException("ringTimeoutSeconds must be 1 to 600");
    }
    if (timeLimitSeconds < 1) {
      throw new IllegalArgumentException("timeLimitSeconds must be 1 or more");
    }
  }

  public Optional<MachineDetection> amd() {
    return Optional.ofNullable(machineDetection);
  }

  /**
   * Where Twilio asks for the call's TwiML once it is answered. With asynchronous machine detection
   * it says so ({@code &amd=async}), so the agent waits for the verdict before it speaks.
   */
  public URI voiceUrl() {
    boolean asyncAmd = machineDetection != null && machineDetection.async();
    return URI.create(
        base + PublicUrls.VOICE + "?call=" + callId + (asyncAmd ? "&amd=" + ASYNC_AMD : ""));
  }

  /** The {@code amd} query value of a call whose machine verdict comes later. */
  public static final String ASYNC_AMD = "async";

  /**
   * Status callbacks name the call ({@code ?call=<id>}): the first one ({@code initiated}) can
   * arrive before Parley has stored the CallSid the create request returned.
   */
  public URI statusCallback() {
    return URI.create(base + PublicUrls.STATUS + "?call=" + callId);
  }

  public URI amdCallback() {
    return URI.create(base + PublicUrls.AMD);
  }

  /**
   * Answering-machine detection in Twilio's terms.
   *
   * @param mode {@code Enable} or {@code DetectMessageEnd}
   * @param async detect while the call runs; the verdict goes to the AMD callback
   * @param timeoutSeconds {@code MachineDetectionTimeout}
   * @param speechThresholdMs {@code MachineDetectionSpeechThreshold}
   * @param speechEndThresholdMs {@code MachineDetectionSpeechEndThreshold}
   * @param silenceTimeoutMs {@code MachineDetectionSilenceTimeout}
   */
  public record MachineDetection(
      Mode mode,
      boolean async,
      int timeoutSeconds,
      int speechThresholdMs,
      int speechEndThresholdMs,
      int silenceTimeoutMs) {

    public MachineDetection {
      Objects.requireNonNull(mode, "mode");
    }

    /** Twilio's {@code MachineDetection} values. */
    public enum Mode {
      /** Answer as soon as a person or a machine is recognised. */
      ENABLE("Enable"),
      /** For a machine, wait for the end of its greeting (the beep). */
      DETECT_MESSAGE_END("DetectMessageEnd");

      private final String twilio;

      Mode(String twilio) {
        this.twilio = twilio;
      }

      public String twilio() {
        return twilio;
      }
    }
  }
}
