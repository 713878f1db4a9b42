package io.parley.telephony;

import io.parley.shared.InvalidInputException;
import io.parley.shared.LogSafe;
import io.parley.sms.TextWebhooks;
import io.parley.sms.TextWebhooks.InboundText;
import io.parley.sms.TextWebhooks.Reply;
import io.parley.sms.TextWebhooks.StatusReport;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
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
 * Twilio's messaging webhooks, reached only with a valid {@code X-Twilio-Signature} ({@link
 * TwilioSignatureFilter}): inbound texts to the agents' numbers ({@code /twilio/sms}, the numbers'
 * SmsUrl) answered with TwiML, and the status callbacks of the texts Parley sends ({@code
 * /twilio/sms-status}). A missing or malformed parameter is a 422 naming it.
 */
@RestController
@RequestMapping(consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
class SmsWebhookController {

  private static final Logger log = LoggerFactory.getLogger(SmsWebhookController.class);
  private static final Pattern SID = Pattern.compile("[A-Za-z0-9]{1,64}");
  private static final Pattern PARTY = Pattern.compile("[^\\p{Cntrl}]{1,64}");
  private static final Pattern STATUS = Pattern.compile("[a-z_-]{1,32}");
  private static final String EMPTY = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>";

  private final TextWebhooks texts;
  private final PublicUrls urls;

  SmsWebhookController(TextWebhooks texts, PublicUrls urls) {
    this.texts = texts;
    this.urls = urls;
  }

  /**
   * An inbound text: stored and its keyword applied; the answer is {@code <Response/>}, or a {@code
   * <Message>} whose status comes back to {@code /twilio/sms-status}.
   */
  @PostMapping(path = PublicUrls.SMS, produces = MediaType.TEXT_XML_VALUE)
  ResponseEntity<String> inbound(
      @RequestParam MultiValueMap<String, String> params, HttpServletRequest request) {
    String body = params.getFirst("Body");
    InboundText text =
        new InboundText(
            sid(params, "MessageSid"),
            party(params, "From"),
            party(params, "To"),
            body == null ? "" : body,
            count(params, "NumMedia", 0),
            count(params, "NumSegments", null));
    Optional<Reply> reply = texts.received(text);
    if (reply.isEmpty()) {
      return ResponseEntity.ok(EMPTY);
    }
    URI action =
        URI.create(
            urls.webhook(urls.base(request), PublicUrls.SMS_STATUS)
                + "?message="
                + reply.get().messageId());
    return ResponseEntity.ok(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Message action=\""
            + Twiml.escape(action.toString())
            + "\" method=\"POST\">"
            + Twiml.escape(reply.get().body())
            + "</Message></Response>");
  }

  /** A status callback of a text Parley sent (by the API, or as a TwiML reply). */
  @PostMapping(PublicUrls.SMS_STATUS)
  ResponseEntity<Void> status(
      @RequestParam MultiValueMap<String, String> params, HttpServletRequest request) {
    String status = params.getFirst("MessageStatus");
    if (status == null) {
      status = params.getFirst("SmsStatus");
    }
    if (status == null || !STATUS.matcher(status).matches()) {
      throw new InvalidInputException("MessageStatus", "is required: queued, sent, delivered, ...");
    }
    String sid =
        params.getFirst("MessageSid") != null ? sid(params, "MessageSid") : sid(params, "SmsSid");
    texts.status(
        new StatusReport(
            messageId(request), sid, status, count(params, "ErrorCode", null), Instant.now()));
    return ResponseEntity.ok().build();
  }

  /** The message id a status callback URL carries ({@code ?message=<id>}), or null. */
  private static UUID messageId(HttpServletRequest request) {
    String value = request.getParameter("message");
    if (value == null) {
      return null;
    }
    try {
      return UUID.fromString(value);
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException("message", "must be a message id");
    }
  }

  private static String sid(MultiValueMap<String, String> params, String name) {
    String value = params.getFirst(name);
    if (value == null || !SID.matcher(value).matches()) {
      throw new InvalidInputException(name, "is required: 1 to 64 letters and digits");
    }
    return value;
  }

  private static String party(MultiValueMap<String, String> params, String name) {
    String value = params.getFirst(name);
    if (value == null || !PARTY.matcher(value).matches()) {
      throw new InvalidInputException(name, "is required: the number as Twilio names it");
    }
    return value;
  }

  private static Integer count(MultiValueMap<String, String> params, String name, Integer absent) {
    String value = params.getFirst(name);
    if (value == null || value.isBlank()) {
      return absent;
    }
    try {
      int n = Integer.parseInt(value.strip());
      if (n < 0) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      log.debug("Unreadable {} {}", name, LogSafe.text(value));
      throw new InvalidInputException(name, "must be a whole number, 0 or more");
    }
  }
}
