package io.parley.sim.twilio;

import io.parley.sim.caller.CallerScript;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The simulated carrier: one account, its phone numbers, and how each destination answers an
 * outbound call.
 */
public record TwilioConfig(
    int port,
    String accountSid,
    String authToken,
    List<PhoneNumber> numbers,
    Map<String, Destination> destinations,
    Destination defaultDestination) {

  /**
   * An incoming phone number of the account.
   *
   * @param smsUrl where an inbound SMS to this number is POSTed (the number's {@code sms_url})
   */
  public record PhoneNumber(
      String phoneNumber,
      String voiceUrl,
      String statusCallback,
      String voiceFallbackUrl,
      String smsUrl) {
    public PhoneNumber(
        String phoneNumber, String voiceUrl, String statusCallback, String voiceFallbackUrl) {
      this(phoneNumber, voiceUrl, statusCallback, voiceFallbackUrl, null);
    }
  }

  /** How a dialed number behaves. */
  public enum Outcome {
    ANSWER,
    BUSY,
    NO_ANSWER,
    FAILED
  }

  /**
   * What becomes of a text message sent to a number: Twilio's final status of an outbound message.
   */
  public enum SmsOutcome {
    DELIVERED,
    UNDELIVERED,
    FAILED,
    /**
     * The recipient has opted out at the carrier (texted STOP to the account's numbers before):
     * Twilio refuses every message to it with HTTP 400 and error 21610, whatever the sender.
     */
    OPTED_OUT
  }

  /**
   * @param ringFor ring time before the outcome (no-answer rings until the call's Timeout)
   * @param answeredBy what answering-machine detection reports: {@code human}, {@code
   *     machine_start}, {@code machine_end_beep}, {@code machine_end_silence}, {@code fax}, {@code
   *     unknown}
   * @param amdDuration how long detection takes (MachineDetectionDuration)
   * @param script what the person (or the machine) says once the call is connected
   * @param sms the final status of a text message sent to this number
   */
  public record Destination(
      Outcome outcome,
      Duration ringFor,
      String answeredBy,
      Duration amdDuration,
      CallerScript script,
      SmsOutcome sms) {
    public Destination {
      sms = sms == null ? SmsOutcome.DELIVERED : sms;
      outcome = outcome == null ? Outcome.ANSWER : outcome;
      ringFor = ringFor == null ? Duration.ofMillis(200) : ringFor;
      answeredBy = answeredBy == null ? "human" : answeredBy;
      amdDuration = amdDuration == null ? Duration.ofMillis(300) : amdDuration;
      script = script == null ? CallerScript.silent() : script;
    }

    public Destination(
        Outcome outcome,
        Duration ringFor,
        String answeredBy,
        Duration amdDuration,
        CallerScript script) {
      this(outcome, ringFor, answeredBy, amdDuration, script, null);
    }

    /** A number whose text messages end with this status (calls to it are answered). */
    public static Destination sms(SmsOutcome sms) {
      return new Destination(null, null, null, null, null, sms);
    }

    public static Destination answer(Duration after, CallerScript script) {
      return new Destination(Outcome.ANSWER, after, null, null, script);
    }

    public static Destination of(Outcome outcome, Duration ringFor) {
      return new Destination(outcome, ringFor, null, null, null);
    }

    public static Destination machine(String answeredBy, Duration amdDuration) {
      return new Destination(Outcome.ANSWER, null, answeredBy, amdDuration, null);
    }
  }

  public TwilioConfig {
    accountSid = accountSid == null ? "AC" + "0".repeat(31) + "1" : accountSid;
    authToken = authToken == null ? "sim-twilio-auth-token" : authToken;
    numbers = numbers == null ? List.of() : List.copyOf(numbers);
    destinations = destinations == null ? Map.of() : Map.copyOf(destinations);
    defaultDestination =
        defaultDestination == null
            ? Destination.answer(Duration.ofMillis(200), null)
            : defaultDestination;
  }

  public static TwilioConfig defaults() {
    return new TwilioConfig(0, null, null, null, null, null);
  }

  public TwilioConfig withNumbers(List<PhoneNumber> newNumbers) {
    return new TwilioConfig(
        port, accountSid, authToken, newNumbers, destinations, defaultDestination);
  }

  public TwilioConfig withDestinations(Map<String, Destination> newDestinations) {
    return new TwilioConfig(
        port, accountSid, authToken, numbers, newDestinations, defaultDestination);
  }

  Destination destination(String to) {
    return destinations.getOrDefault(to, defaultDestination);
  }
}
