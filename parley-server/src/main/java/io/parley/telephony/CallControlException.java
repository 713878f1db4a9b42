package io.parley.telephony;

import java.util.Optional;

/** A call-control request Twilio refused or could not be sent; {@link #reason()} says which. */
public class CallControlException extends RuntimeException {

  /** What went wrong, from Twilio's error code (or the transport). */
  public enum Reason {
    /** No Twilio account sid and auth token are configured. */
    NOT_CONFIGURED,
    /** Twilio refused the credentials (20003). */
    AUTHENTICATION,
    /** The call, number or resource does not exist (20404). */
    NOT_FOUND,
    /** Too many requests (20429): retry later. */
    RATE_LIMITED,
    /** The phone number is not valid (21211 'To', 21212 'From'). */
    INVALID_NUMBER,
    /** The call is not in a state that allows this (21220: not in progress). */
    CALL_NOT_IN_PROGRESS,
    /** Twilio rejected the request for another reason (its code is kept). */
    REJECTED,
    /** Twilio could not be reached or failed (5xx, network, timeout): retry later. */
    UNAVAILABLE
  }

  private final Reason reason;
  private final Integer twilioCode;

  public CallControlException(Reason reason, Integer twilioCode, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
    this.twilioCode = twilioCode;
  }

  public Reason reason() {
    return reason;
  }

  /** Twilio's error code, when Twilio answered with one. */
  public Optional<Integer> twilioCode() {
    return Optional.ofNullable(twilioCode);
  }

  /** True when trying again later may succeed. */
  public boolean retryable() {
    return reason == Reason.RATE_LIMITED || reason == Reason.UNAVAILABLE;
  }
}
