package io.parley.sim.twilio;

import io.parley.sim.Fault;
import io.parley.sim.Faults;
import io.parley.sim.Json;
import io.parley.sim.SimClock;
import io.parley.sim.audio.Wav;
import io.parley.sim.caller.CallerScript;
import io.parley.sim.http.Exchange;
import io.parley.sim.http.Params;
import io.parley.sim.http.SimServer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The simulated carrier: Twilio's REST API under {@code /2010-04-01/Accounts/{AccountSid}/...} with
 * Basic auth, form bodies and snake_case JSON, plus the calls it places and receives, each running
 * its life cycle and signed webhooks.
 */
public final class TwilioSim implements AutoCloseable {
  private static final Pattern PATH =
      Pattern.compile(
          "/2010-04-01/Accounts/([^/]+)/([A-Za-z]+)(?:/([A-Za-z0-9]+))?(?:/([A-Za-z]+))?(\\.json|\\.wav)?");
  private static final Pattern E164 = Pattern.compile("\\+[1-9]\\d{6,14}");
  private static final DateTimeFormatter RFC2822 =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss Z", Locale.US)
          .withZone(ZoneOffset.UTC);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final TwilioConfig config;
  private final Faults faults;
  private final SimClock clock;
  private final MediaLeg mediaLeg;
  private final Webhooks webhooks;
  private final SimServer server;
  private final Map<String, SimCall> calls = new ConcurrentHashMap<>();
  private final Map<String, String> numberSids = new ConcurrentHashMap<>();
  private final Map<String, TwilioConfig.PhoneNumber> numbers = new ConcurrentHashMap<>();
  private final Map<String, Recording> recordings = new ConcurrentHashMap<>();
  private final Map<String, byte[]> heldAudio = new ConcurrentHashMap<>();
  private final Messaging messaging;
  private final CountDownLatch closed = new CountDownLatch(1);

  public TwilioSim(
      TwilioConfig config,
      Faults faults,
      SimClock clock,
      MediaLeg mediaLeg,
      io.parley.sim.http.Hosting hosting) {
    this.config = config;
    this.faults = faults;
    this.clock = clock;
    this.mediaLeg = mediaLeg;
    this.webhooks = new Webhooks(config.authToken(), clock);
    this.messaging = new Messaging(this, clock);
    for (TwilioConfig.PhoneNumber n : config.numbers()) {
      numbers.put(n.phoneNumber(), n);
      numberSids.put(n.phoneNumber(), sid("PN"));
    }
    this.server = hosting.start("twilio", config.port(), this::route);
  }

  /** The API base: Parley reads it from PARLEY_TWILIO_API_URL. */
  public URI apiUrl() {
    return server.baseUri();
  }

  public String accountSid() {
    return config.accountSid();
  }

  public String authToken() {
    return config.authToken();
  }

  public Webhooks webhooks() {
    return webhooks;
  }

  SimClock clock() {
    return clock;
  }

  Faults faults() {
    return faults;
  }

  MediaLeg mediaLeg() {
    return mediaLeg;
  }

  public SimCall call(String sid) {
    return calls.get(sid);
  }

  public List<SimCall> calls() {
    return List.copyOf(calls.values());
  }

  /** Sets (or adds) the number's voice URL, as the console or IncomingPhoneNumbers update would. */
  public void voiceUrl(String e164, String url) {
    numberSids.computeIfAbsent(e164, n -> sid("PN"));
    numbers.compute(
        e164,
        (n, old) ->
            old == null
                ? new TwilioConfig.PhoneNumber(e164, url, null, null)
                : new TwilioConfig.PhoneNumber(
                    e164, url, old.statusCallback(), old.voiceFallbackUrl(), old.smsUrl()));
  }

  /** Sets (or adds) the number's SMS URL, where an inbound text message to it is POSTed. */
  public void smsUrl(String e164, String url) {
    numberSids.computeIfAbsent(e164, n -> sid("PN"));
    numbers.compute(
        e164,
        (n, old) ->
            old == null
                ? new TwilioConfig.PhoneNumber(e164, null, null, null, url)
                : new TwilioConfig.PhoneNumber(
                    e164, old.voiceUrl(), old.statusCallback(), old.voiceFallbackUrl(), url));
  }

  TwilioConfig.PhoneNumber number(String e164) {
    return numbers.get(e164);
  }

  /** The account's lowest number: the sender a Messaging Service picks from its pool. */
  String firstNumber() {
    return numbers.keySet().stream().sorted().findFirst().orElse(null);
  }

  TwilioConfig.Destination destination(String to) {
    return config.destination(to);
  }

  /**
   * A phone texts one of the account's numbers: the carrier POSTs the signed webhook to the
   * number's SMS URL and sends the TwiML {@code <Message>} replies. Returns the inbound message
   * (with its replies) once the app has answered.
   */
  public SimMessage receiveSms(String from, String to, String body) {
    return messaging.receive(from, to, body);
  }

  /**
   * True while {@code recipient} has opted out (texted STOP or another opt-out word) of messages
   * from the account's number {@code sender}: Twilio then refuses them with error 21610.
   */
  public boolean optedOut(String sender, String recipient) {
    return messaging.optedOut(sender, recipient);
  }

  /**
   * Turns Twilio's default opt-out keyword handling on (the default) or off for one of the
   * account's numbers, as Advanced Opt-Out can: with it off, STOP, START and HELP reach the app
   * like any text, block nothing and get no standard reply.
   */
  public void optOutHandling(String e164, boolean on) {
    messaging.optOutHandling(e164, on);
  }

  /** Every text message the carrier handled (sent by the app, replies, received), oldest first. */
  public List<SimMessage> messages() {
    return messaging.messages();
  }

  public SimMessage message(String sid) {
    return messaging.message(sid);
  }

  /** An inbound call: the caller dials one of the account's numbers. */
  public SimCall placeCall(String from, String to, CallerScript script) {
    TwilioConfig.PhoneNumber number = numbers.get(to);
    if (number == null || number.voiceUrl() == null) {
      throw new IllegalArgumentException(to + " is not a number of this account with a voice URL");
    }
    SimCall call =
        new SimCall(
            this,
            sid("CA"),
            "inbound",
            to,
            from,
            new Params(List.of()),
            new TwilioConfig.Destination(null, null, null, null, script));
    calls.put(call.sid, call);
    call.start();
    return call;
  }

  @Override
  public void close() {
    closed.countDown();
    messaging.close();
    for (SimCall call : calls.values()) {
      if (!call.isEnded()) {
        call.command(new SimCall.End("completed"));
      }
    }
    server.close();
  }

  static String rfc2822(Instant instant) {
    return instant == null ? null : RFC2822.format(instant);
  }

  static String sid(String prefix) {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return prefix + HexFormat.of().formatHex(bytes);
  }

  // ---- REST -------------------------------------------------------------------------------

  private boolean route(Exchange ex) throws InterruptedException {
    Matcher m = PATH.matcher(ex.path());
    if (!m.matches()) {
      return false;
    }
    if (!authorized(ex, m.group(1))) {
      return true;
    }
    if (faults.delayOrHang(Faults.Target.TWILIO, null, clock, closed)) {
      ex.abort();
      return true;
    }
    var failure = faults.take(Faults.Target.TWILIO, null, Fault.ErrorStatus.class);
    if (failure.isPresent()) {
      injectError(ex, failure.get());
      return true;
    }
    String collection = m.group(2);
    String id = m.group(3);
    String sub = m.group(4);
    String ext = m.group(5);
    boolean post = ex.method().equals("POST");
    switch (collection) {
      case "Calls" -> {
        if (id == null) {
          if (post) {
            createCall(ex);
          } else {
            listCalls(ex);
          }
        } else if (sub == null) {
          SimCall call = calls.get(id);
          if (call == null) {
            notFound(ex);
          } else if (post) {
            updateCall(ex, call);
          } else {
            ex.sendJson(200, callJson(call));
          }
        } else if (sub.equals("Recordings")) {
          SimCall call = calls.get(id);
          if (call == null) {
            notFound(ex);
          } else if (post) {
            createRecording(ex, call);
          } else {
            listRecordings(ex, call);
          }
        } else {
          notFound(ex);
        }
      }
      case "Recordings" -> {
        Recording r = id == null ? null : recordings.get(id);
        if (r == null) {
          notFound(ex);
        } else if (ex.method().equals("DELETE")) {
          // Twilio answers 204 No Content; the audio and the resource are gone.
          deleteRecording(r.sid());
          ex.send(204, "application/json", new byte[0]);
        } else if (".json".equals(ext)) {
          ex.sendJson(200, recordingJson(r));
        } else {
          byte[] held = heldAudio.get(r.sid());
          byte[] wav;
          if (held != null) {
            wav = held;
          } else {
            SimCall call = calls.get(r.callSid());
            long end = r.endMillis() < 0 ? clock.nowMillis() : r.endMillis();
            wav = Wav.mulaw(mediaLeg.audio(call, r.startMillis(), end));
          }
          ByteRange.send(ex, "audio/x-wav", wav);
        }
      }
      case "Messages" -> {
        if (sub == null) {
          messaging.route(ex, id);
        } else {
          notFound(ex);
        }
      }
      case "IncomingPhoneNumbers" -> {
        if (id == null) {
          listNumbers(ex);
        } else {
          String e164 =
              numberSids.entrySet().stream()
                  .filter(e -> e.getValue().equals(id))
                  .map(Map.Entry::getKey)
                  .findFirst()
                  .orElse(null);
          if (e164 == null) {
            notFound(ex);
          } else if (post) {
            updateNumber(ex, e164);
          } else {
            ex.sendJson(200, numberJson(e164));
          }
        }
      }
      default -> notFound(ex);
    }
    return true;
  }

  private boolean authorized(Exchange ex, String pathAccount) {
    String auth = ex.header("Authorization");
    if (auth != null && auth.startsWith("Basic ")) {
      String decoded =
          new String(Base64.getDecoder().decode(auth.substring(6).strip()), StandardCharsets.UTF_8);
      if (decoded.equals(config.accountSid() + ":" + config.authToken())
          && pathAccount.equals(config.accountSid())) {
        return true;
      }
    }
    ex.header("WWW-Authenticate", "Basic realm=\"Twilio API\"");
    error(ex, 401, 20003, "Authenticate");
    return false;
  }

  private void createCall(Exchange ex) {
    Params p = ex.form();
    String to = p.get("To");
    String from = p.get("From");
    if (to == null
        || !(E164.matcher(to).matches() || to.startsWith("sip:") || to.startsWith("client:"))) {
      error(ex, 400, 21211, "Invalid 'To' Phone Number: " + (to == null ? "" : to));
      return;
    }
    if (from == null || !(E164.matcher(from).matches() || from.startsWith("client:"))) {
      error(ex, 400, 21212, "Invalid 'From' Phone Number: " + (from == null ? "" : from));
      return;
    }
    if (p.get("Url") == null && p.get("Twiml") == null && p.get("ApplicationSid") == null) {
      error(ex, 400, 21205, "Url parameter is required.");
      return;
    }
    SimCall call =
        new SimCall(this, sid("CA"), "outbound-api", to, from, p, config.destination(to));
    calls.put(call.sid, call);
    ObjectNode json = callJson(call);
    call.start();
    ex.sendJson(201, json);
  }

  private void updateCall(Exchange ex, SimCall call) {
    Params p = ex.form();
    String status = p.get("Status");
    if (p.has("Url") && p.has("Twiml")) {
      error(ex, 400, 21218, "Url and Twiml are mutually exclusive.");
      return;
    }
    if (call.isEnded()) {
      if (status != null || p.has("Url") || p.has("Twiml")) {
        error(ex, 400, 21220, "Call is not in-progress. Cannot redirect.");
        return;
      }
    } else if ("completed".equals(status)) {
      call.command(new SimCall.End(call.startTime() == null ? "canceled" : "completed"));
    } else if ("canceled".equals(status)) {
      // canceling only affects a call that is not answered yet, as on Twilio
      if (call.startTime() == null) {
        call.command(new SimCall.End("canceled"));
      }
    } else if (p.has("Url") || p.has("Twiml")) {
      call.command(
          new SimCall.Redirect(p.get("Url"), p.first("Method").orElse("POST"), p.get("Twiml")));
    }
    ex.sendJson(200, callJson(call));
  }

  private void listCalls(Exchange ex) {
    Params q = ex.query();
    StartTimeFilter started;
    try {
      started = StartTimeFilter.of(q);
    } catch (DateTimeParseException e) {
      error(ex, 400, 20001, "Invalid StartTime: " + e.getParsedString());
      return;
    }
    List<SimCall> matching =
        calls.values().stream()
            .filter(c -> q.get("Status") == null || q.get("Status").equals(c.status()))
            .filter(c -> q.get("To") == null || q.get("To").equals(c.to))
            .filter(c -> q.get("From") == null || q.get("From").equals(c.from))
            .filter(c -> started.test(c.startTime()))
            .sorted((a, b) -> b.created.compareTo(a.created))
            .toList();
    List<ObjectNode> items = new ArrayList<>();
    matching.forEach(c -> items.add(callJson(c)));
    ex.sendJson(200, page(ex, "calls", items));
  }

  private void createRecording(Exchange ex, SimCall call) {
    if (!"in-progress".equals(call.status())) {
      error(ex, 400, 21220, "Requested resource is not eligible for recording");
      return;
    }
    String channels = ex.form().first("RecordingChannels").orElse("mono");
    if (!channels.equals("mono") && !channels.equals("dual")) {
      error(ex, 400, 20001, "RecordingChannels must be mono or dual");
      return;
    }
    Recording r = startRecording(call, "StartCallRecordingAPI", ex.form());
    ex.sendJson(201, recordingJson(r));
  }

  private void listRecordings(Exchange ex, SimCall call) {
    List<ObjectNode> items = new ArrayList<>();
    call.recordings.forEach(r -> items.add(recordingJson(recordings.get(r.sid()))));
    ex.sendJson(200, page(ex, "recordings", items));
  }

  Recording startRecording(SimCall call, String source, Params p) {
    Recording r =
        new Recording(
            sid("RE"),
            call.sid,
            source,
            Instant.now(),
            clock.nowMillis(),
            -1,
            "in-progress",
            p.get("RecordingStatusCallback"),
            p.first("RecordingStatusCallbackMethod").orElse("POST"),
            // Twilio records mono unless dual is asked for.
            "dual".equals(p.first("RecordingChannels").orElse("mono")) ? 2 : 1);
    recordings.put(r.sid(), r);
    call.recordings.add(r);
    return r;
  }

  void completeRecording(SimCall call, Recording started) {
    Recording done = recordings.get(started.sid()).completed(clock.nowMillis());
    recordings.put(done.sid(), done);
    call.recordings.replaceAll(r -> r.sid().equals(done.sid()) ? done : r);
    if (done.statusCallback() != null) {
      Map<String, String> params =
          SimCall.ordered(
              "AccountSid",
              call.accountSid,
              "CallSid",
              call.sid,
              "RecordingSid",
              done.sid(),
              "RecordingUrl",
              recordingUrl(done),
              "RecordingStatus",
              "completed",
              "RecordingDuration",
              Long.toString(done.durationSeconds()),
              "RecordingChannels",
              Integer.toString(done.channels()),
              "RecordingStartTime",
              rfc2822(done.started()),
              "RecordingSource",
              done.source(),
              "RecordingTrack",
              "both");
      webhooks.send(done.statusCallback(), done.statusCallbackMethod(), Params.of(params));
    }
  }

  /**
   * Adds a finished recording the account already holds, as if made before this run, with this WAV
   * file as its media; returns its RecordingSid. For a call the account does not know, as Twilio
   * keeps recordings after their calls are gone.
   */
  public String holdRecording(String callSid, byte[] wav, long durationSeconds) {
    long now = clock.nowMillis();
    Recording r =
        new Recording(
            sid("RE"),
            callSid,
            "StartCallRecordingAPI",
            Instant.now(),
            now - durationSeconds * 1000,
            now,
            "completed",
            null,
            "POST",
            1);
    heldAudio.put(r.sid(), wav.clone());
    recordings.put(r.sid(), r);
    return r.sid();
  }

  /** Whether the account still has the recording (it was not deleted). */
  public boolean hasRecording(String recordingSid) {
    return recordings.containsKey(recordingSid);
  }

  /** Deletes a recording, as the console or {@code DELETE .../Recordings/{Sid}} would. */
  public void deleteRecording(String recordingSid) {
    recordings.remove(recordingSid);
    heldAudio.remove(recordingSid);
  }

  /** Where the app fetches the recording (append .wav for the audio, .json for the resource). */
  String recordingUrl(Recording r) {
    return apiUrl() + "/2010-04-01/Accounts/" + config.accountSid() + "/Recordings/" + r.sid();
  }

  private void listNumbers(Exchange ex) {
    String filter = ex.query().get("PhoneNumber");
    List<ObjectNode> items = new ArrayList<>();
    numbers.keySet().stream()
        .sorted()
        .filter(n -> filter == null || n.contains(filter.replace("*", "")))
        .forEach(n -> items.add(numberJson(n)));
    ex.sendJson(200, page(ex, "incoming_phone_numbers", items));
  }

  private void updateNumber(Exchange ex, String e164) {
    Params p = ex.form();
    numbers.compute(
        e164,
        (n, old) ->
            new TwilioConfig.PhoneNumber(
                e164,
                p.first("VoiceUrl").orElse(old.voiceUrl()),
                p.first("StatusCallback").orElse(old.statusCallback()),
                p.first("VoiceFallbackUrl").orElse(old.voiceFallbackUrl()),
                p.first("SmsUrl").orElse(old.smsUrl())));
    ex.sendJson(200, numberJson(e164));
  }

  // ---- JSON -------------------------------------------------------------------------------

  String accountUri() {
    return "/2010-04-01/Accounts/" + config.accountSid();
  }

  ObjectNode callJson(SimCall c) {
    ObjectNode j = Json.object();
    String uri = accountUri() + "/Calls/" + c.sid;
    j.put("sid", c.sid)
        .put("date_created", rfc2822(c.created))
        .put("date_updated", rfc2822(c.updated()))
        .putNull("parent_call_sid");
    j.put("account_sid", c.accountSid)
        .put("to", c.to)
        .put("to_formatted", c.to)
        .put("from", c.from)
        .put("from_formatted", c.from);
    String pn = numberSids.get(c.direction.equals("inbound") ? c.to : c.from);
    if (pn == null) {
      j.putNull("phone_number_sid");
    } else {
      j.put("phone_number_sid", pn);
    }
    j.put("status", c.status())
        .put("start_time", rfc2822(c.startTime()))
        .put("end_time", rfc2822(c.endTime()));
    Long duration = c.durationSeconds();
    if (duration == null) {
      j.putNull("duration");
    } else {
      j.put("duration", Long.toString(duration));
    }
    j.putNull("price").put("price_unit", "USD").put("direction", c.direction);
    if (c.answeredBy() == null) {
      j.putNull("answered_by");
    } else {
      j.put("answered_by", c.answeredBy());
    }
    j.put("api_version", "2010-04-01")
        .putNull("forwarded_from")
        .putNull("group_sid")
        .putNull("caller_name")
        .put("queue_time", "0")
        .putNull("trunk_sid")
        .put("uri", uri + ".json");
    ObjectNode subs = j.putObject("subresource_uris");
    for (String s :
        List.of(
            "Notifications",
            "Recordings",
            "Payments",
            "Events",
            "Siprec",
            "Streams",
            "Transcriptions",
            "UserDefinedMessageSubscriptions",
            "UserDefinedMessages")) {
      subs.put(snake(s), uri + "/" + s + ".json");
    }
    return j;
  }

  private ObjectNode recordingJson(Recording r) {
    ObjectNode j = Json.object();
    j.put("sid", r.sid())
        .put("account_sid", config.accountSid())
        .put("call_sid", r.callSid())
        .putNull("conference_sid")
        .put("api_version", "2010-04-01")
        .put("date_created", rfc2822(r.started()))
        .put("date_updated", rfc2822(Instant.now()))
        .put("start_time", rfc2822(r.started()))
        .put("duration", r.endMillis() < 0 ? "-1" : Long.toString(r.durationSeconds()))
        .putNull("price")
        .put("price_unit", "USD")
        .put("status", r.status())
        .put("channels", r.channels())
        .put("source", r.source())
        .putNull("error_code")
        .put("track", "both")
        .putNull("encryption_details")
        .put("uri", accountUri() + "/Calls/" + r.callSid() + "/Recordings/" + r.sid() + ".json");
    return j;
  }

  private ObjectNode numberJson(String e164) {
    TwilioConfig.PhoneNumber n = numbers.get(e164);
    ObjectNode j = Json.object();
    j.put("sid", numberSids.get(e164))
        .put("account_sid", config.accountSid())
        .put("phone_number", e164)
        .put("friendly_name", e164)
        .put("voice_method", "POST")
        .put("voice_fallback_method", "POST")
        .put("status_callback_method", "POST")
        .put("sms_method", "POST")
        .put("origin", "twilio")
        .put("status", "in-use")
        .put("api_version", "2010-04-01")
        .put("beta", false)
        .put("date_created", rfc2822(Instant.EPOCH))
        .put("date_updated", rfc2822(Instant.now()))
        .put("uri", accountUri() + "/IncomingPhoneNumbers/" + numberSids.get(e164) + ".json");
    putNullable(j, "voice_url", n.voiceUrl());
    putNullable(j, "voice_fallback_url", n.voiceFallbackUrl());
    putNullable(j, "status_callback", n.statusCallback());
    putNullable(j, "sms_url", n.smsUrl());
    j.putNull("voice_application_sid").putNull("trunk_sid");
    j.putObject("capabilities")
        .put("voice", true)
        .put("sms", true)
        .put("mms", true)
        .put("fax", false);
    return j;
  }

  static void putNullable(ObjectNode j, String field, String value) {
    if (value == null) {
      j.putNull(field);
    } else {
      j.put(field, value);
    }
  }

  /**
   * Twilio's list envelope with Page/PageSize paging; the page URIs keep the request's filters, so
   * following next_page_uri lists the same selection.
   */
  ObjectNode page(Exchange ex, String key, List<ObjectNode> all) {
    Params q = ex.query();
    int size = Math.min(1000, Integer.parseInt(q.first("PageSize").orElse("50")));
    int page = Integer.parseInt(q.first("Page").orElse("0"));
    int from = Math.min(all.size(), page * size);
    int to = Math.min(all.size(), from + size);
    List<Map.Entry<String, String>> filters = new ArrayList<>();
    q.pairs().stream()
        .filter(e -> !List.of("Page", "PageSize", "PageToken").contains(e.getKey()))
        .forEach(filters::add);
    String filter = filters.isEmpty() ? "" : new Params(filters).encode() + "&";
    String base = ex.path() + "?" + filter + "PageSize=" + size + "&Page=";
    ObjectNode j = Json.object();
    ArrayNode items = j.putArray(key);
    all.subList(from, to).forEach(items::add);
    j.put("end", Math.max(from, to - 1))
        .put("first_page_uri", base + 0)
        .put("page", page)
        .put("page_size", size)
        .put("start", from)
        .put("uri", base + page);
    if (to < all.size()) {
      j.put("next_page_uri", base + (page + 1));
    } else {
      j.putNull("next_page_uri");
    }
    if (page > 0) {
      j.put("previous_page_uri", base + (page - 1));
    } else {
      j.putNull("previous_page_uri");
    }
    return j;
  }

  void notFound(Exchange ex) {
    error(ex, 404, 20404, "The requested resource " + ex.path() + " was not found");
  }

  private void injectError(Exchange ex, Fault.ErrorStatus failure) {
    switch (failure.status()) {
      case 429 -> {
        ex.header("Retry-After", Long.toString(failure.retryAfter().toSeconds()));
        error(ex, 429, 20429, "Too Many Requests");
      }
      case 401 -> error(ex, 401, 20003, "Authenticate");
      case 404 -> error(ex, 404, 20404, "The requested resource was not found");
      default -> error(ex, failure.status(), 20500, "Internal Server Error");
    }
  }

  static void error(Exchange ex, int status, int code, String message) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("code", code);
    body.put("message", message);
    body.put("more_info", "https://www.twilio.com/docs/errors/" + code);
    body.put("status", status);
    ex.sendJson(status, body);
  }

  private static String snake(String pascal) {
    return pascal.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
  }
}
