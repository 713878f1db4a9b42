package io.parley.sim.twilio;

import io.parley.sim.Fault;
import io.parley.sim.Faults;
import io.parley.sim.Json;
import io.parley.sim.SimClock;
import io.parley.sim.http.Exchange;
import io.parley.sim.http.Params;
import java.io.StringReader;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.InputSource;
import tools.jackson.databind.node.ObjectNode;

/**
 * Programmable Messaging: the Messages resource (send, fetch, list), the delivery of each outbound
 * message on the sim clock with signed status callbacks, and inbound SMS to the account's numbers
 * with the app's TwiML {@code <Message>} replies.
 */
final class Messaging {
  /** When each status is reached after the message is created, on the sim clock. */
  static final Duration QUEUED_AFTER = Duration.ofMillis(50);

  static final Duration SENDING_AFTER = Duration.ofMillis(100);
  static final Duration SENT_AFTER = Duration.ofMillis(300);
  static final Duration FINAL_AFTER = Duration.ofMillis(1000);

  private static final Pattern E164 = Pattern.compile("\\+[1-9]\\d{6,14}");
  private static final Pattern SERVICE_SID = Pattern.compile("MG[0-9a-fA-F]{32}");
  private static final DateTimeFormatter DLR_DONE =
      DateTimeFormatter.ofPattern("yyMMddHHmm").withZone(ZoneOffset.UTC);
  private static final int MAX_REDIRECTS = 10;

  /**
   * Twilio's default opt-out handling on long codes and toll-free numbers: a message that is one of
   * these words (any case, surrounding spaces ignored, nothing else in it) opts the sender out of,
   * or back in to, messages from the number it texted, or asks for help.
   */
  static final Set<String> OPT_OUT_WORDS =
      Set.of("STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT");

  static final Set<String> OPT_IN_WORDS = Set.of("START", "YES", "UNSTOP");
  static final Set<String> HELP_WORDS = Set.of("HELP", "INFO");

  /** Twilio's standard replies to those keywords. */
  static final String OPT_OUT_REPLY =
      "You have successfully been unsubscribed. You will not receive any more messages from this"
          + " number. Reply START to resubscribe.";

  static final String OPT_IN_REPLY =
      "You have successfully been re-subscribed to messages from this number. Reply HELP for"
          + " help. Reply STOP to unsubscribe. Msg&Data Rates May Apply.";
  static final String HELP_REPLY = "Reply STOP to unsubscribe. Msg&Data Rates May Apply.";

  static final int UNSUBSCRIBED = 21610;
  static final String UNSUBSCRIBED_MESSAGE = "Attempt to send to unsubscribed recipient";

  private final TwilioSim carrier;
  private final SimClock clock;
  private final Map<String, SimMessage> messages = new ConcurrentHashMap<>();
  private final Set<Thread> deliveries = ConcurrentHashMap.newKeySet();

  /** Opt-outs at the carrier, each {@code sender + " " + recipient}. */
  private final Set<String> optedOut = ConcurrentHashMap.newKeySet();

  /** The account's numbers whose default opt-out handling is turned off. */
  private final Set<String> handlingOff = ConcurrentHashMap.newKeySet();

  Messaging(TwilioSim carrier, SimClock clock) {
    this.carrier = carrier;
    this.clock = clock;
  }

  /** True while {@code recipient} is opted out of messages from {@code sender}. */
  boolean optedOut(String sender, String recipient) {
    return optedOut.contains(sender + " " + recipient);
  }

  /**
   * Turns Twilio's default keyword handling on or off for one of the account's numbers (Advanced
   * Opt-Out can turn it off): with it off, keywords reach the app like any text and block nothing.
   */
  void optOutHandling(String number, boolean on) {
    if (on) {
      handlingOff.remove(number);
    } else {
      handlingOff.add(number);
    }
  }

  SimMessage message(String sid) {
    return messages.get(sid);
  }

  /** Every message, oldest first. */
  List<SimMessage> messages() {
    return messages.values().stream().sorted(Comparator.comparingLong(m -> m.sequence)).toList();
  }

  // ---- REST -------------------------------------------------------------------------------

  void route(Exchange ex, String id) {
    boolean post = ex.method().equals("POST");
    if (id == null) {
      if (post) {
        create(ex);
      } else {
        list(ex);
      }
      return;
    }
    SimMessage m = messages.get(id);
    if (m == null || post) {
      carrier.notFound(ex);
    } else {
      ex.sendJson(200, json(m));
    }
  }

  private void create(Exchange ex) {
    Params p = ex.form();
    String to = p.get("To");
    String from = p.get("From");
    String service = p.get("MessagingServiceSid");
    String body = p.get("Body");
    List<String> media = p.all("MediaUrl");
    if (to == null || to.isBlank()) {
      TwilioSim.error(ex, 400, 21604, "A 'To' phone number is required.");
      return;
    }
    if (!E164.matcher(to).matches()) {
      TwilioSim.error(ex, 400, 21211, "Invalid 'To' Phone Number: " + to);
      return;
    }
    if (from == null && service == null) {
      TwilioSim.error(ex, 400, 21603, "A 'From' phone number is required.");
      return;
    }
    if (from != null && carrier.number(from) == null) {
      TwilioSim.error(
          ex,
          400,
          21606,
          "The From phone number "
              + from
              + " is not a valid, SMS-capable inbound phone number or short code for your"
              + " account.");
      return;
    }
    if (from == null && !SERVICE_SID.matcher(service).matches()) {
      TwilioSim.error(ex, 404, 20404, "The requested resource " + service + " was not found");
      return;
    }
    if ((body == null || body.isEmpty()) && media.isEmpty() && !p.has("ContentSid")) {
      TwilioSim.error(ex, 400, 21602, "Message body is required.");
      return;
    }
    if (body != null && body.length() > 1600) {
      TwilioSim.error(
          ex, 400, 21617, "The concatenated message body exceeds the 1600 character limit.");
      return;
    }
    if (carrier.destination(to).sms() == TwilioConfig.SmsOutcome.OPTED_OUT
        || (from != null && optedOut(from, to))) {
      TwilioSim.error(ex, 400, UNSUBSCRIBED, UNSUBSCRIBED_MESSAGE);
      return;
    }
    SimMessage m =
        new SimMessage(
            TwilioSim.sid(media.isEmpty() ? "SM" : "MM"),
            carrier.accountSid(),
            service,
            from,
            to,
            body,
            media,
            "outbound-api",
            // with a Messaging Service the message is accepted first, then queued on a sender
            from == null ? "accepted" : "queued",
            p.get("StatusCallback"),
            p.first("StatusCallbackMethod").orElse("POST"));
    messages.put(m.sid, m);
    ObjectNode json = json(m);
    deliver(m);
    ex.sendJson(201, json);
  }

  private void list(Exchange ex) {
    Params q = ex.query();
    List<ObjectNode> items = new ArrayList<>();
    messages.values().stream()
        .filter(m -> q.get("To") == null || q.get("To").equals(m.to))
        .filter(m -> q.get("From") == null || q.get("From").equals(m.from()))
        .sorted(Comparator.comparingLong((SimMessage m) -> m.sequence).reversed())
        .forEach(m -> items.add(json(m)));
    ex.sendJson(200, carrier.page(ex, "messages", items));
  }

  ObjectNode json(SimMessage m) {
    String uri = carrier.accountUri() + "/Messages/" + m.sid;
    ObjectNode j = Json.object();
    j.put("sid", m.sid).put("account_sid", m.accountSid);
    TwilioSim.putNullable(j, "messaging_service_sid", m.messagingServiceSid());
    // a message sent through a service has no sender until it is queued on one
    TwilioSim.putNullable(j, "from", m.status().equals("accepted") ? null : m.from());
    j.put("to", m.to)
        .put("body", m.body)
        .put("num_segments", Integer.toString(m.numSegments()))
        .put("num_media", Integer.toString(m.mediaUrls.size()))
        .put("direction", m.direction)
        .put("status", m.status());
    if (m.errorCode() == null) {
      j.putNull("error_code");
    } else {
      j.put("error_code", m.errorCode());
    }
    TwilioSim.putNullable(j, "error_message", m.errorMessage());
    j.putNull("price")
        .put("price_unit", "USD")
        .put("api_version", "2010-04-01")
        .put("date_created", TwilioSim.rfc2822(m.created));
    TwilioSim.putNullable(j, "date_sent", TwilioSim.rfc2822(m.sent()));
    j.put("date_updated", TwilioSim.rfc2822(m.updated())).put("uri", uri + ".json");
    j.putObject("subresource_uris")
        .put("media", uri + "/Media.json")
        .put("feedback", uri + "/Feedback.json");
    return j;
  }

  // ---- delivery ---------------------------------------------------------------------------

  /** Moves an outbound message through its statuses on its own virtual thread. */
  private void deliver(SimMessage m) {
    long created = clock.nowMillis();
    Thread.ofVirtual()
        .name("message-" + m.sid)
        .start(
            () -> {
              deliveries.add(Thread.currentThread());
              try {
                progress(m, created);
              } finally {
                deliveries.remove(Thread.currentThread());
              }
            });
  }

  /** The carrier stops: messages in flight stay where they got to and send no more callbacks. */
  void close() {
    deliveries.forEach(Thread::interrupt);
  }

  private void progress(SimMessage m, long created) {
    TwilioConfig.SmsOutcome outcome = carrier.destination(m.to).sms();
    try {
      if (m.status().equals("accepted")) {
        clock.sleepUntil(created + QUEUED_AFTER.toMillis());
        m.from(carrier.firstNumber());
        m.status("queued");
        callback(m);
      }
      clock.sleepUntil(created + SENDING_AFTER.toMillis());
      m.status("sending");
      callback(m);
      clock.sleepUntil(created + SENT_AFTER.toMillis());
      if (outcome == TwilioConfig.SmsOutcome.FAILED) {
        m.fail("failed", 30008, "Unknown error");
        callback(m);
        return;
      }
      m.status("sent");
      callback(m);
      clock.sleepUntil(created + FINAL_AFTER.toMillis());
      if (outcome == TwilioConfig.SmsOutcome.UNDELIVERED) {
        m.fail("undelivered", 30003, "Unreachable destination handset");
      } else {
        m.status("delivered");
      }
      callback(m);
    } catch (InterruptedException e) {
      // the simulator is closing: the message stays where it got to
      Thread.currentThread().interrupt();
    }
  }

  /** A signed status callback for the message's current status; none without a URL. */
  private void callback(SimMessage m) {
    if (m.statusCallback == null) {
      return;
    }
    String status = m.status();
    Map<String, String> params =
        SimCall.ordered(
            "AccountSid",
            m.accountSid,
            "ApiVersion",
            "2010-04-01",
            "From",
            m.from() == null ? "" : m.from(),
            "MessageSid",
            m.sid,
            "MessageStatus",
            status,
            "SmsSid",
            m.sid,
            "SmsStatus",
            status,
            "To",
            m.to);
    if (m.messagingServiceSid() != null) {
      params.put("MessagingServiceSid", m.messagingServiceSid());
    }
    if (m.errorCode() != null) {
      params.put("ErrorCode", Integer.toString(m.errorCode()));
    }
    if (status.equals("delivered") || status.equals("undelivered")) {
      params.put("RawDlrDoneDate", DLR_DONE.format(Instant.now()));
    }
    int copies =
        carrier
                .faults()
                .take(Faults.Target.TWILIO, m.sid, Fault.DuplicateCallbacks.class)
                .isPresent()
            ? 2
            : 1;
    for (int i = 0; i < copies; i++) {
      carrier.webhooks().send(m.statusCallback, m.statusCallbackMethod, Params.of(params));
    }
  }

  // ---- inbound ----------------------------------------------------------------------------

  /**
   * A phone texts one of the account's numbers: POSTs the signed webhook to the number's SMS URL
   * and sends the app's TwiML {@code <Message>} replies. Returns once the webhook was answered.
   */
  SimMessage receive(String from, String to, String body) {
    TwilioConfig.PhoneNumber number = carrier.number(to);
    if (number == null || number.smsUrl() == null) {
      throw new IllegalArgumentException(to + " is not a number of this account with an SMS URL");
    }
    SimMessage m =
        new SimMessage(
            TwilioSim.sid("SM"),
            carrier.accountSid(),
            null,
            from,
            to,
            body,
            List.of(),
            "inbound",
            "received",
            null,
            null);
    messages.put(m.sid, m);
    keyword(m);
    Params params =
        Params.of(
            SimCall.ordered(
                "ToCountry",
                country(to),
                "ToState",
                "",
                "SmsMessageSid",
                m.sid,
                "NumMedia",
                "0",
                "ToCity",
                "",
                "FromZip",
                "",
                "SmsSid",
                m.sid,
                "FromState",
                "",
                "SmsStatus",
                "received",
                "FromCity",
                "",
                "Body",
                m.body,
                "FromCountry",
                country(from),
                "To",
                to,
                "ToZip",
                "",
                "NumSegments",
                Integer.toString(m.numSegments()),
                "MessageSid",
                m.sid,
                "AccountSid",
                m.accountSid,
                "From",
                from,
                "ApiVersion",
                "2010-04-01"));
    Webhooks.Delivery d = carrier.webhooks().send(number.smsUrl(), "POST", params);
    m.webhook(d);
    String twiml = d.body();
    for (int hops = 0; twiml != null && hops < MAX_REDIRECTS; hops++) {
      if (!d.ok() || !twiml.strip().startsWith("<")) {
        m.error("11200 HTTP retrieval failure: " + d.url() + " answered " + d.status());
        return m;
      }
      twiml = runTwiml(m, twiml, params);
    }
    return m;
  }

  /**
   * Twilio's default opt-out handling, before the message is passed on to the app: an opt-out word
   * blocks messages from the number to the sender, an opt-in word lifts the block, a help word is
   * answered unless the sender is opted out; each with Twilio's standard reply.
   */
  private void keyword(SimMessage inbound) {
    if (handlingOff.contains(inbound.to)) {
      return;
    }
    String word = inbound.body.strip().toUpperCase(Locale.ROOT);
    String pair = inbound.to + " " + inbound.from();
    String reply = null;
    if (OPT_OUT_WORDS.contains(word)) {
      optedOut.add(pair);
      reply = OPT_OUT_REPLY;
    } else if (OPT_IN_WORDS.contains(word)) {
      optedOut.remove(pair);
      reply = OPT_IN_REPLY;
    } else if (HELP_WORDS.contains(word) && !optedOut.contains(pair)) {
      reply = HELP_REPLY;
    }
    if (reply != null) {
      SimMessage m =
          new SimMessage(
              TwilioSim.sid("SM"),
              carrier.accountSid(),
              null,
              inbound.to,
              inbound.from(),
              reply,
              List.of(),
              "outbound-reply",
              "queued",
              null,
              null);
      messages.put(m.sid, m);
      inbound.autoReply(m);
      deliver(m);
    }
  }

  /** Executes a messaging TwiML document; returns the next document after a redirect. */
  private String runTwiml(SimMessage inbound, String twiml, Params params) {
    Element root;
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      root =
          factory
              .newDocumentBuilder()
              .parse(new InputSource(new StringReader(twiml.strip())))
              .getDocumentElement();
    } catch (Exception e) {
      inbound.error("12100 Document parse failure: " + e.getMessage());
      return null;
    }
    if (!root.getTagName().equals("Response")) {
      inbound.error("12100 Document parse failure: root <" + root.getTagName() + ">");
      return null;
    }
    for (Element verb : children(root)) {
      switch (verb.getTagName()) {
        case "Message" -> reply(inbound, verb);
        case "Redirect" -> {
          Webhooks.Delivery d =
              carrier.webhooks().send(verb.getTextContent().strip(), attr(verb, "method"), params);
          if (!d.ok()) {
            inbound.error("11200 HTTP retrieval failure: " + d.url() + " answered " + d.status());
            return null;
          }
          return d.body();
        }
        default -> {
          inbound.error("12100 unsupported TwiML verb <" + verb.getTagName() + ">");
          return null;
        }
      }
    }
    return null;
  }

  /** A {@code <Message>} reply: text (or {@code <Body>}) and {@code <Media>}, to the sender. */
  private void reply(SimMessage inbound, Element verb) {
    List<Element> parts = children(verb);
    String body = verb.getTextContent().strip();
    List<String> media = new ArrayList<>();
    if (!parts.isEmpty()) {
      body = "";
      for (Element part : parts) {
        if (part.getTagName().equals("Body")) {
          body = part.getTextContent().strip();
        } else if (part.getTagName().equals("Media")) {
          media.add(part.getTextContent().strip());
        }
      }
    }
    String from = verb.hasAttribute("from") ? verb.getAttribute("from") : inbound.to;
    String to = verb.hasAttribute("to") ? verb.getAttribute("to") : inbound.from();
    if (optedOut(from, to)) {
      // Twilio does not send a reply to a recipient who opted out of the sender.
      inbound.error(UNSUBSCRIBED + " " + UNSUBSCRIBED_MESSAGE + ": " + to);
      return;
    }
    String callback =
        verb.hasAttribute("statusCallback") ? verb.getAttribute("statusCallback") : null;
    if (callback == null && verb.hasAttribute("action")) {
      callback = verb.getAttribute("action");
    }
    SimMessage m =
        new SimMessage(
            TwilioSim.sid(media.isEmpty() ? "SM" : "MM"),
            carrier.accountSid(),
            null,
            from,
            to,
            body,
            media,
            "outbound-reply",
            "queued",
            callback,
            attr(verb, "method"));
    messages.put(m.sid, m);
    inbound.reply(m);
    deliver(m);
  }

  private static String attr(Element e, String name) {
    return e.hasAttribute(name) ? e.getAttribute(name) : "POST";
  }

  private static List<Element> children(Element parent) {
    List<Element> out = new ArrayList<>();
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element child) {
        out.add(child);
      }
    }
    return out;
  }

  /** The ISO country Twilio reports for a number; only the prefixes the sim's examples use. */
  private static String country(String e164) {
    if (e164.startsWith("+1")) {
      return "US";
    }
    if (e164.startsWith("+44")) {
      return "GB";
    }
    return "";
  }
}
