package io.parley.dialing;

import io.parley.compliance.CallingDecision;
import io.parley.compliance.GateDecision;
import java.net.URI;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * A dial or hang-up Parley refuses or Twilio failed, already shaped as the problem detail the
 * client gets (Spring MVC renders {@link ErrorResponseException} with its status, body and
 * headers).
 */
final class DialRefusal extends ErrorResponseException {

  private DialRefusal(HttpStatus status, String title, String detail) {
    super(status, body(status, title, detail), null);
  }

  /** The callee is on the do-not-call list: 409. */
  static DialRefusal doNotCall(String to) {
    DialRefusal refusal =
        new DialRefusal(
            HttpStatus.CONFLICT, "On the do-not-call list", to + " is on the do-not-call list.");
    refusal.getBody().setProperty("to", to);
    return refusal;
  }

  /** Outside the calling hours in the callee's zone: 422 naming {@code to}, with the decision. */
  static DialRefusal outsideWindow(CallingDecision decision) {
    DialRefusal refusal =
        new DialRefusal(
            HttpStatus.UNPROCESSABLE_CONTENT, "Outside the calling window", decision.reason());
    refusal.getBody().setProperty("errors", Map.of("to", decision.reason()));
    if (decision.nextAllowedAt() != null) {
      refusal.getBody().setProperty("nextAllowedAt", decision.nextAllowedAt());
    }
    refusal.getBody().setProperty("callingWindow", decision);
    return refusal;
  }

  /** The number had as many calls as the per-number cap allows over 24 hours: 409. */
  static DialRefusal numberCap(String to, GateDecision.Refused refused) {
    DialRefusal refusal =
        new DialRefusal(HttpStatus.CONFLICT, "Number called too often", refused.reason() + ".");
    refusal.getBody().setProperty("to", to);
    if (refused.retryAt() != null) {
      refusal.getBody().setProperty("nextAllowedAt", refused.retryAt());
    }
    return refusal;
  }

  /** A compliance check could not be made: 503, the call is not placed (the gate fails closed). */
  static DialRefusal checkFailed(GateDecision.Refused refused) {
    DialRefusal refusal =
        new DialRefusal(
            HttpStatus.SERVICE_UNAVAILABLE,
            "Compliance check failed",
            "The call was not placed: " + refused.reason() + ".");
    refusal.getBody().setProperty("rule", refused.rule().wire());
    return refusal;
  }

  /** The account's dial pace is booked further ahead than a manual call waits: 429. */
  static DialRefusal paceFull(java.math.BigDecimal callsPerSecond, int retryAfterSeconds) {
    DialRefusal refusal =
        new DialRefusal(
            HttpStatus.TOO_MANY_REQUESTS,
            "Dial rate in use",
            "The Twilio account's "
                + callsPerSecond.toPlainString()
                + " calls per second (PARLEY_TWILIO_CPS) are booked for the next seconds; try again"
                + " in "
                + retryAfterSeconds
                + " seconds.");
    refusal.getHeaders().set(HttpHeaders.RETRY_AFTER, Integer.toString(retryAfterSeconds));
    refusal.getBody().setProperty("retryAfterSeconds", retryAfterSeconds);
    return refusal;
  }

  /** This node carries as many calls as it may: 429 with {@code Retry-After}. */
  static DialRefusal atCapacity(int limit, int retryAfterSeconds) {
    DialRefusal refusal =
        new DialRefusal(
            HttpStatus.TOO_MANY_REQUESTS,
            "Too many calls",
            "All "
                + limit
                + " call places of this server are in use; try again in "
                + retryAfterSeconds
                + " seconds.");
    refusal.getHeaders().set(HttpHeaders.RETRY_AFTER, Integer.toString(retryAfterSeconds));
    refusal.getBody().setProperty("retryAfterSeconds", retryAfterSeconds);
    return refusal;
  }

  /** This node's media loops lag (a new call would sound broken): 429 with {@code Retry-After}. */
  static DialRefusal overloaded(int retryAfterSeconds) {
    DialRefusal refusal =
        new DialRefusal(
            HttpStatus.TOO_MANY_REQUESTS,
            "Server overloaded",
            "This server's media loops are running late, so it takes no new calls for now; try"
                + " again in "
                + retryAfterSeconds
                + " seconds.");
    refusal.getHeaders().set(HttpHeaders.RETRY_AFTER, Integer.toString(retryAfterSeconds));
    refusal.getBody().setProperty("retryAfterSeconds", retryAfterSeconds);
    return refusal;
  }

  /** Twilio refused a number of the call: 422 naming the field (the call record is FAILED). */
  static DialRefusal numberRefused(UUID callId, String field, String message) {
    DialRefusal refusal =
        new DialRefusal(HttpStatus.UNPROCESSABLE_CONTENT, "Number refused by Twilio", message);
    refusal.getBody().setProperty("errors", Map.of(field, message));
    refusal.getBody().setProperty("callId", callId);
    return refusal;
  }

  /** Twilio could not be reached or failed: 502 (the call record, if any, is FAILED). */
  static DialRefusal twilioFailed(UUID callId, String message) {
    DialRefusal refusal = new DialRefusal(HttpStatus.BAD_GATEWAY, "Twilio failed", message);
    if (callId != null) {
      refusal.getBody().setProperty("callId", callId);
    }
    return refusal;
  }

  /** Parley cannot place calls as configured (no Twilio account, no public URL): 503. */
  static DialRefusal notConfigured(String message) {
    return new DialRefusal(HttpStatus.SERVICE_UNAVAILABLE, "Calling is not configured", message);
  }

  private static ProblemDetail body(HttpStatus status, String title, String detail) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
    problem.setTitle(title);
    problem.setType(URI.create("about:blank"));
    return problem;
  }
}
