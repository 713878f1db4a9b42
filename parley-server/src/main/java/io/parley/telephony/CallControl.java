package io.parley.telephony;

import io.parley.calls.CallStatus;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Controls live calls and the account's phone numbers through Twilio's REST API. Every method
 * throws {@link CallControlException} with a {@link CallControlException.Reason} saying what went
 * wrong (not configured, authentication, not found, rate limited, ...).
 */
public interface CallControl {

  /**
   * Asks Twilio to place the call and returns its CallSid. Sent once, never retried here: a
   * repeated create would ring the callee twice. A number Twilio refuses is {@code INVALID_NUMBER}.
   */
  String dial(OutboundDial dial);

  /** Twilio's current view of a call, for reconciliation. Unknown sid: {@code NOT_FOUND}. */
  CallState fetchStatus(String callSid);

  /**
   * The calls Twilio has from {@code from} to {@code to} that started between {@code startedAfter}
   * and {@code startedBefore}, and those still queued or ringing (which may have no start time
   * yet): what tells whether an attempt whose CallSid was never stored reached Twilio. Newest
   * first, each once.
   */
  List<CallState> findCalls(String to, String from, Instant startedAfter, Instant startedBefore);

  /**
   * The account's calls that are not over: queued, ringing or in progress, at most {@code limit} of
   * each (newest first), whichever Parley node or other application placed them. What the live
   * calls list is checked against.
   */
  List<UnfinishedCall> unfinishedCalls(int limit);

  /** Ends the call: hangs up an answered call, cancels one that is still ringing. */
  void hangUp(String callSid);

  /** Makes the call continue with other instructions. */
  void redirect(String callSid, Instructions instructions);

  /**
   * Starts recording an answered call (both parties): {@code channels} is {@code mono} (mixed into
   * one channel) or {@code dual} (caller and agent each on their own), as the agent's {@code
   * recording.channels} says; anything else is an {@link IllegalArgumentException}. Twilio reports
   * the finished recording to {@code statusCallback}. Returns the RecordingSid.
   */
  String startRecording(String callSid, URI statusCallback, String channels);

  /** Points one of the account's numbers at Parley. Unknown number: {@code NOT_FOUND}. */
  PhoneNumberConfig updateNumber(String e164, NumberWebhooks webhooks);

  /** The account's incoming phone numbers with their current webhooks. */
  List<PhoneNumberConfig> listNumbers();

  /**
   * A call as Twilio reports it.
   *
   * @param callSid the call
   * @param status Twilio's spelling ({@code queued}, {@code ringing}, {@code in-progress}, {@code
   *     completed}, {@code busy}, {@code no-answer}, {@code failed}, {@code canceled})
   * @param durationSeconds the billed duration once the call has ended, else null
   * @param startTime when it was answered, or null
   * @param endTime when it ended, or null
   * @param createdAt when Twilio created the call (took the request)
   */
  record CallState(
      String callSid,
      String status,
      Integer durationSeconds,
      Instant startTime,
      Instant endTime,
      Instant createdAt) {

    /** The status in Parley's terms; empty for a value Twilio does not document. */
    public Optional<CallStatus> callStatus() {
      return CallStatus.fromTwilio(status);
    }
  }

  /**
   * A call Twilio has not finished.
   *
   * @param status Twilio's spelling: {@code queued}, {@code ringing} or {@code in-progress}
   * @param from the caller as Twilio names it
   * @param to the called party
   * @param startTime when it was answered, or null
   */
  record UnfinishedCall(String callSid, String status, String from, String to, Instant startTime) {

    /** The status in Parley's terms; empty for a value Twilio does not document. */
    public Optional<CallStatus> callStatus() {
      return CallStatus.fromTwilio(status);
    }
  }

  /** What a redirected call does next. */
  sealed interface Instructions {

    /** Twilio fetches TwiML from this URL (POST). */
    record Url(URI url) implements Instructions {}

    /** Twilio runs this TwiML document. */
    record Twiml(String twiml) implements Instructions {
      public Twiml {
        if (twiml == null || twiml.isBlank()) {
          throw new IllegalArgumentException("TwiML must not be empty");
        }
      }
    }
  }

  /** Where a number's calls, call events and inbound text messages go (all POST). */
  record NumberWebhooks(URI voiceUrl, URI statusCallback, URI voiceFallbackUrl, URI smsUrl) {}

  /**
   * One of the account's numbers as Twilio holds it.
   *
   * @param sid the IncomingPhoneNumber sid ({@code PN...})
   * @param phoneNumber E.164
   * @param friendlyName the name the account gave the number (Twilio's default is the number)
   * @param smsUrl where Twilio posts text messages to the number, or null
   */
  record PhoneNumberConfig(
      String sid,
      String phoneNumber,
      String friendlyName,
      URI voiceUrl,
      URI statusCallback,
      URI voiceFallbackUrl,
      URI smsUrl) {}
}
