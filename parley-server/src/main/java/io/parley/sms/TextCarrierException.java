package io.parley.sms;

/**
 * The carrier refused a message or could not be reached. The message is safe to show to API clients
 * (no internal addresses, no credentials).
 */
public class TextCarrierException extends RuntimeException {

  /** Twilio's error for a recipient who opted out of the sender at the carrier (texted STOP). */
  public static final int UNSUBSCRIBED = 21610;

  /** What went wrong, as the sender must react to it. */
  public enum Kind {
    /** Twilio refused the message for good (a bad number, an opted-out recipient...). */
    REFUSED,
    /** Twilio could not be reached, rate limited the request or failed (retry later). */
    UNAVAILABLE,
    /** Twilio refused the account's credentials or is not configured. */
    NOT_CONFIGURED
  }

  private final Kind kind;
  private final Integer errorCode;

  public TextCarrierException(Kind kind, Integer errorCode, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
    this.errorCode = errorCode;
  }

  public Kind kind() {
    return kind;
  }

  /** Twilio's error code, or null when there is none (a transport failure). */
  public Integer errorCode() {
    return errorCode;
  }
}
