package io.parley.sim.twilio;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One text message the carrier handled: sent by the app through the REST API ({@code
 * outbound-api}), sent as a TwiML {@code <Message>} reply ({@code outbound-reply}), or received
 * from a phone ({@code inbound}). Its status moves on the sim clock; the rest is fixed at creation.
 */
public final class SimMessage {
  private static final AtomicLong SEQUENCE = new AtomicLong();

  /** The GSM 03.38 basic character set, one septet each. */
  private static final String GSM7 =
      "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
          + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";

  /** Its extension table: an escape septet plus one. */
  private static final String GSM7_EXTENSION = "^{}\\[~]|€\f";

  final String sid;
  final String accountSid;
  final String messagingServiceSid;
  final String to;
  final String body;
  final List<String> mediaUrls;
  final String direction;
  final String statusCallback;
  final String statusCallbackMethod;
  final Instant created = Instant.now();

  /** Creation order, for lists: several messages can share one {@code created} instant. */
  final long sequence = SEQUENCE.incrementAndGet();

  private final List<SimMessage> replies = new CopyOnWriteArrayList<>();
  private final List<SimMessage> autoReplies = new CopyOnWriteArrayList<>();
  private final List<String> errors = new CopyOnWriteArrayList<>();
  private volatile String from;
  private volatile String status;
  private volatile Integer errorCode;
  private volatile String errorMessage;
  private volatile Instant sent;
  private volatile Instant updated = created;
  private volatile Webhooks.Delivery webhook;

  SimMessage(
      String sid,
      String accountSid,
      String messagingServiceSid,
      String from,
      String to,
      String body,
      List<String> mediaUrls,
      String direction,
      String status,
      String statusCallback,
      String statusCallbackMethod) {
    this.sid = sid;
    this.accountSid = accountSid;
    this.messagingServiceSid = messagingServiceSid;
    this.from = from;
    this.to = to;
    this.body = body == null ? "" : body;
    this.mediaUrls = List.copyOf(mediaUrls);
    this.direction = direction;
    this.status = status;
    this.statusCallback = statusCallback;
    this.statusCallbackMethod = statusCallbackMethod;
  }

  public String sid() {
    return sid;
  }

  public String from() {
    return from;
  }

  public String to() {
    return to;
  }

  public String body() {
    return body;
  }

  public List<String> mediaUrls() {
    return mediaUrls;
  }

  /** {@code inbound}, {@code outbound-api} or {@code outbound-reply}. */
  public String direction() {
    return direction;
  }

  /** Twilio's message status: accepted, queued, sending, sent, delivered, received... */
  public String status() {
    return status;
  }

  public Integer errorCode() {
    return errorCode;
  }

  public String messagingServiceSid() {
    return messagingServiceSid;
  }

  /** For an inbound message: the messages the app's TwiML answered with, in order. */
  public List<SimMessage> replies() {
    return List.copyOf(replies);
  }

  /**
   * For an inbound message: the carrier's own standard answer to an opt-out, opt-in or help keyword
   * (Twilio's default opt-out handling), sent before the app's webhook; never the app's replies.
   */
  public List<SimMessage> autoReplies() {
    return List.copyOf(autoReplies);
  }

  /** Problems Twilio's debugger would show for this message (an unreachable webhook, bad TwiML). */
  public List<String> errors() {
    return List.copyOf(errors);
  }

  /** For an inbound message: the webhook request to the number's SMS URL and the app's answer. */
  public Webhooks.Delivery webhook() {
    return webhook;
  }

  /**
   * GSM-7 text fits 160 septets in one segment and 153 per segment when split (the extension
   * characters such as {@code [ ] { } ~} take two); anything else is sent as UCS-2, 70 and 67
   * characters. A media-only message counts as one.
   */
  public int numSegments() {
    boolean gsm =
        body.chars().allMatch(c -> GSM7.indexOf(c) >= 0 || GSM7_EXTENSION.indexOf(c) >= 0);
    int length =
        gsm
            ? body.length() + (int) body.chars().filter(c -> GSM7_EXTENSION.indexOf(c) >= 0).count()
            : body.length();
    int single = gsm ? 160 : 70;
    int part = gsm ? 153 : 67;
    return length <= single ? 1 : (length + part - 1) / part;
  }

  Instant sent() {
    return sent;
  }

  Instant updated() {
    return updated;
  }

  String errorMessage() {
    return errorMessage;
  }

  synchronized void from(String number) {
    this.from = number;
  }

  synchronized void status(String newStatus) {
    status = newStatus;
    updated = Instant.now();
    if (newStatus.equals("sent")) {
      sent = updated;
    }
  }

  synchronized void fail(String newStatus, int code, String message) {
    errorCode = code;
    errorMessage = message;
    status(newStatus);
  }

  void webhook(Webhooks.Delivery delivery) {
    this.webhook = delivery;
  }

  void reply(SimMessage message) {
    replies.add(message);
  }

  void autoReply(SimMessage message) {
    autoReplies.add(message);
  }

  void error(String message) {
    errors.add(message);
  }
}
