package io.parley.telephony;

import java.net.URI;
import java.util.List;

/**
 * Controls live calls and the account's phone numbers through Twilio's REST API. Every method
 * throws {@link CallControlException} with a {@link CallControlException.Reason} saying what went
 * wrong (not configured, authentication, not found, rate limited, ...).
 */
public interface CallControl {

  /** Ends the call: hangs up an answered call, cancels one that is still ringing. */
  void hangUp(String callSid);

  /** Makes the call continue with other instructions. */
  void redirect(String callSid, Instructions instructions);

  /**
   * Starts recording an answered call (both parties); Twilio reports the finished recording to
   * {@code statusCallback}. Returns the RecordingSid.
   */
  String startRecording(String callSid, URI statusCallback);

  /** Points one of the account's numbers at Parley. Unknown number: {@code NOT_FOUND}. */
  PhoneNumberConfig updateNumber(String e164, NumberWebhooks webhooks);

  /** The account's incoming phone numbers with their current webhooks. */
  List<PhoneNumberConfig> listNumbers();

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

  /** Where a number's calls and call events go (all POST). */
  record NumberWebhooks(URI voiceUrl, URI statusCallback, URI voiceFallbackUrl) {}

  /**
   * One of the account's numbers as Twilio holds it.
   *
   * @param sid the IncomingPhoneNumber sid ({@code PN...})
   * @param phoneNumber E.164
   */
  record PhoneNumberConfig(
      String sid, String phoneNumber, URI voiceUrl, URI statusCallback, URI voiceFallbackUrl) {}
}
