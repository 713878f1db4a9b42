package io.parley.telephony;

import io.parley.calls.CallStatus;
import io.parley.calls.Recording;
import io.parley.shared.InvalidInputException;
import io.parley.shared.LogSafe;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
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
 * Twilio's call event webhooks. They are reached only with a valid {@code X-Twilio-Signature}
 * ({@link TwilioSignatureFilter}); each answers 200 with an empty body once the callback is applied
 * or deliberately ignored (unknown CallSid, a status Twilio does not document), and 422 naming the
 * parameter when a required one is missing or malformed.
 */
@RestController
@RequestMapping(path = "/twilio", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
class TwilioWebhookController {

  private static final Logger log = LoggerFactory.getLogger(TwilioWebhookController.class);
  private static final Pattern SID = Pattern.compile("[A-Za-z0-9]{1,64}");
  private static final Pattern ANSWERED_BY = Pattern.compile("[a-z_]{1,32}");

  private final CallCallbacks callbacks;

  TwilioWebhookController(CallCallbacks callbacks) {
    this.callbacks = callbacks;
  }

  /** Call status callbacks (the number's StatusCallback, or the one given when dialling). */
  @PostMapping("/status")
  ResponseEntity<Void> status(
      @RequestParam MultiValueMap<String, String> params,
      jakarta.servlet.http.HttpServletRequest request) {
    String callSid = sid(params, "CallSid");
    String reported = params.getFirst("CallStatus");
    var status = CallStatus.fromTwilio(reported);
    if (status.isEmpty()) {
      log.warn(
          "Ignored status callback for {} with unknown CallStatus {}",
          callSid,
          LogSafe.text(reported));
      return ResponseEntity.ok().build();
    }
    Integer duration = status.get().terminal() ? seconds(params, "CallDuration") : null;
    callbacks.status(
        callSid,
        placedCall(request),
        status.get(),
        timestamp(params),
        duration,
        answeredBy(params, false));
    return ResponseEntity.ok().build();
  }

  /** Recording status callbacks; only a completed recording is stored. */
  @PostMapping("/recording")
  ResponseEntity<Void> recording(@RequestParam MultiValueMap<String, String> params) {
    String callSid = sid(params, "CallSid");
    String state = params.getFirst("RecordingStatus");
    if (state != null && !state.equals("completed")) {
      log.info("Recording of call {} is {}; nothing to store", callSid, LogSafe.text(state));
      return ResponseEntity.ok().build();
    }
    Integer duration = seconds(params, "RecordingDuration");
    callbacks.recording(
        callSid,
        new Recording(sid(params, "RecordingSid"), params.getFirst("RecordingUrl"), duration));
    return ResponseEntity.ok().build();
  }

  /** Asynchronous answering-machine detection ({@code AsyncAmdStatusCallback}). */
  @PostMapping("/amd")
  ResponseEntity<Void> amd(@RequestParam MultiValueMap<String, String> params) {
    callbacks.answeredBy(sid(params, "CallSid"), answeredBy(params, true));
    return ResponseEntity.ok().build();
  }

  /**
   * The number's VoiceFallbackUrl: Twilio asks here when the voice URL failed (Parley was
   * unreachable or answered an error). The caller hears a short apology instead of Twilio's error
   * message.
   */
  @PostMapping(path = "/fallback", produces = MediaType.TEXT_XML_VALUE)
  ResponseEntity<String> fallback(@RequestParam MultiValueMap<String, String> params) {
    log.warn(
        "Twilio used the fallback for call {}: error {} at {}",
        LogSafe.text(params.getFirst("CallSid")),
        LogSafe.text(params.getFirst("ErrorCode")),
        LogSafe.text(params.getFirst("ErrorUrl")));
    return ResponseEntity.ok(FALLBACK_TWIML);
  }

  static final String FALLBACK_TWIML =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Say>Sorry, we cannot take your call"
          + " right now. Please try again later.</Say><Hangup/></Response>";

  /** The call id a callback URL of an outbound call carries ({@code ?call=<id>}), or null. */
  private static java.util.UUID placedCall(jakarta.servlet.http.HttpServletRequest request) {
    String query = request.getQueryString();
    String value = null;
    if (query != null) {
      for (String pair : query.split("&")) {
        if (pair.startsWith("call=")) {
          value = pair.substring("call=".length());
        }
      }
    }
    if (value == null) {
      return null;
    }
    try {
      return java.util.UUID.fromString(value);
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException("call", "must be a call id");
    }
  }

  private static String sid(MultiValueMap<String, String> params, String name) {
    String value = params.getFirst(name);
    if (value == null || !SID.matcher(value).matches()) {
      throw new InvalidInputException(name, "is required: 1 to 64 letters and digits");
    }
    return value;
  }

  private static String answeredBy(MultiValueMap<String, String> params, boolean required) {
    String value = params.getFirst("AnsweredBy");
    if (value == null && !required) {
      return null;
    }
    if (value == null || !ANSWERED_BY.matcher(value).matches()) {
      throw new InvalidInputException(
          "AnsweredBy", "is required: human, machine_start, machine_end_beep, fax, ...");
    }
    return value;
  }

  /** A whole number of seconds; Twilio reports -1 for a length it does not know. */
  private static Integer seconds(MultiValueMap<String, String> params, String name) {
    String value = params.getFirst(name);
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      int seconds = Integer.parseInt(value.strip());
      return seconds < 0 ? null : seconds;
    } catch (NumberFormatException e) {
      throw new InvalidInputException(name, "must be a whole number of seconds");
    }
  }

  /** Twilio's {@code Timestamp} (RFC 2822); the time of receipt when absent or unreadable. */
  private static Instant timestamp(MultiValueMap<String, String> params) {
    String value = params.getFirst("Timestamp");
    if (value != null) {
      try {
        return ZonedDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      } catch (DateTimeParseException e) {
        log.debug("Unreadable Timestamp {}; using the time of receipt", LogSafe.text(value));
      }
    }
    return Instant.now();
  }
}
