package io.parley.sms;

import io.parley.compliance.CallingDecision;
import io.parley.compliance.GateDecision;
import java.net.URI;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * A text Parley refuses to send or Twilio refused, shaped as the problem detail the client gets, as
 * {@code POST /api/calls} answers for the same rules.
 */
final class SmsRefusal extends ErrorResponseException {

  private SmsRefusal(HttpStatus status, String title, String detail) {
    super(status, body(status, title, detail), null);
  }

  /** The recipient is on the do-not-call list (texts count as calls): 409. */
  static SmsRefusal doNotCall(String to) {
    SmsRefusal refusal =
        new SmsRefusal(
            HttpStatus.CONFLICT, "On the do-not-call list", to + " is on the do-not-call list.");
    refusal.getBody().setProperty("to", to);
    return refusal;
  }

  /** Quiet hours in the recipient's zone: 422 naming {@code to}, with the window's decision. */
  static SmsRefusal outsideWindow(CallingDecision decision) {
    SmsRefusal refusal =
        new SmsRefusal(
            HttpStatus.UNPROCESSABLE_CONTENT, "Outside the calling window", decision.reason());
    refusal.getBody().setProperty("errors", Map.of("to", decision.reason()));
    if (decision.nextAllowedAt() != null) {
      refusal.getBody().setProperty("nextAllowedAt", decision.nextAllowedAt());
    }
    refusal.getBody().setProperty("callingWindow", decision);
    return refusal;
  }

  /** A compliance check could not be made: 503, nothing is sent (the gate fails closed). */
  static SmsRefusal checkFailed(GateDecision.Refused refused) {
    SmsRefusal refusal =
        new SmsRefusal(
            HttpStatus.SERVICE_UNAVAILABLE,
            "Compliance check failed",
            "The message was not sent: " + refused.reason() + ".");
    refusal.getBody().setProperty("rule", refused.rule().wire());
    return refusal;
  }

  /**
   * Twilio refused because the recipient opted out of the number at the carrier (error 21610): 409.
   * The number is now on the do-not-call list.
   */
  static SmsRefusal unsubscribed(UUID messageId, String to) {
    SmsRefusal refusal =
        new SmsRefusal(
            HttpStatus.CONFLICT,
            "Recipient unsubscribed",
            to
                + " has opted out of texts from this number at the carrier (Twilio error 21610);"
                + " it is now on the do-not-call list.");
    refusal.getBody().setProperty("to", to);
    refusal.getBody().setProperty("messageId", messageId);
    refusal.getBody().setProperty("errorCode", TextCarrierException.UNSUBSCRIBED);
    return refusal;
  }

  /** Twilio refused the message for good: 422 naming {@code to}. */
  static SmsRefusal refused(UUID messageId, TextCarrierException e) {
    SmsRefusal refusal =
        new SmsRefusal(
            HttpStatus.UNPROCESSABLE_CONTENT, "Message refused by Twilio", e.getMessage());
    refusal.getBody().setProperty("errors", Map.of("to", e.getMessage()));
    refusal.getBody().setProperty("messageId", messageId);
    if (e.errorCode() != null) {
      refusal.getBody().setProperty("errorCode", e.errorCode());
    }
    return refusal;
  }

  /** Twilio could not be reached or failed: 502 (the message is marked failed). */
  static SmsRefusal twilioFailed(UUID messageId, String message) {
    SmsRefusal refusal = new SmsRefusal(HttpStatus.BAD_GATEWAY, "Twilio failed", message);
    refusal.getBody().setProperty("messageId", messageId);
    return refusal;
  }

  /** Parley cannot send texts as configured: 503. */
  static SmsRefusal notConfigured(String message) {
    return new SmsRefusal(HttpStatus.SERVICE_UNAVAILABLE, "Texting is not configured", message);
  }

  private static ProblemDetail body(HttpStatus status, String title, String detail) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
    problem.setTitle(title);
    problem.setType(URI.create("about:blank"));
    return problem;
  }
}
