package io.parley.sim.twilio;

import io.parley.sim.Fault;
import io.parley.sim.Faults;
import io.parley.sim.SimClock;
import io.parley.sim.caller.CallerScript;
import io.parley.sim.http.Params;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One call leg and its life: ringing, the destination's outcome, answering-machine detection, the
 * TwiML it executes, status callbacks, recordings. One virtual thread owns the life cycle; REST
 * updates (hang up, redirect) reach it as commands plus an interrupt, so a pause, a ring or a media
 * stream ends at once.
 */
public final class SimCall {

  /** A REST update delivered to the owning thread. */
  sealed interface Command {}

  record End(String status) implements Command {}

  record Redirect(String url, String method, String twiml) implements Command {}

  /** A status callback held back by the out-of-order fault. */
  private record Held(String url, String method, Params params) {}

  /** Thrown inside the owner thread when a command cuts the current verb short. */
  private static final class Cut extends RuntimeException {
    final Command command;

    Cut(Command command) {
      super(null, null, false, false);
      this.command = command;
    }
  }

  private static final int MAX_REDIRECTS = 20;

  final String sid;
  final String accountSid;
  final String to;
  final String from;
  final String direction;
  final Params create;
  final TwilioConfig.Destination destination;
  private final TwilioSim carrier;
  private final SimClock clock;
  // counted down when a machine's scripted beep ends: detection of the greeting's end reports then
  private final java.util.concurrent.CountDownLatch beeped =
      new java.util.concurrent.CountDownLatch(1);
  private volatile long beepEndMillis;
  private final LinkedBlockingQueue<Command> commands = new LinkedBlockingQueue<>();
  private final CountDownLatch ended = new CountDownLatch(1);
  private final List<String> dialed = new CopyOnWriteArrayList<>();
  private final List<String> errors = new CopyOnWriteArrayList<>();
  private final List<Held> held = new ArrayList<>();
  final List<Recording> recordings = new CopyOnWriteArrayList<>();
  final Instant created = Instant.now();
  private volatile String status;
  private volatile Instant updated = created;
  private volatile Instant startTime;
  private volatile Instant endTime;
  private volatile String answeredBy;
  private volatile Thread owner;
  private int sequence;

  SimCall(
      TwilioSim carrier,
      String sid,
      String direction,
      String to,
      String from,
      Params create,
      TwilioConfig.Destination destination) {
    this.carrier = carrier;
    this.clock = carrier.clock();
    this.sid = sid;
    this.accountSid = carrier.accountSid();
    this.direction = direction;
    this.to = to;
    this.from = from;
    this.create = create;
    this.destination = destination;
    this.status = direction.equals("inbound") ? "ringing" : "queued";
  }

  public String sid() {
    return sid;
  }

  public String accountSid() {
    return accountSid;
  }

  public String status() {
    return status;
  }

  public String answeredBy() {
    return answeredBy;
  }

  public String direction() {
    return direction;
  }

  public String from() {
    return from;
  }

  public String to() {
    return to;
  }

  /** The form parameters of the REST request that created the call (empty for inbound calls). */
  public Params createParams() {
    return create;
  }

  public CallerScript script() {
    return destination.script();
  }

  public SimClock clock() {
    return clock;
  }

  /** Transfer targets of {@code <Dial>} verbs, in order. */
  public List<String> dialed() {
    return List.copyOf(dialed);
  }

  /** Problems Twilio would show in its debugger for this call (e.g. an unreachable webhook). */
  public List<String> errors() {
    return List.copyOf(errors);
  }

  /** Records a problem on the call, such as a WAV header inside outbound media. */
  public void error(String message) {
    errors.add(message);
  }

  /**
   * A {@code <Stream statusCallback>} notification: stream-started or stream-stopped, signed like
   * every webhook.
   */
  public void streamStatus(Twiml.ConnectStream stream, String streamSid, String event) {
    if (stream.statusCallback() == null) {
      return;
    }
    Params params =
        Params.of(
            ordered(
                "AccountSid", accountSid,
                "CallSid", sid,
                "StreamSid", streamSid,
                "StreamName", stream.name() == null ? streamSid : stream.name(),
                "StreamEvent", event,
                "Timestamp", TwilioSim.rfc2822(Instant.now())));
    carrier.webhooks().send(stream.statusCallback(), "POST", params);
  }

  /**
   * The answering machine's beep ends at {@code endMillis} (sim clock; from the caller script,
   * which knows it as it sends the beep's last frame).
   */
  public void machineBeeped(long endMillis) {
    beepEndMillis = endMillis;
    beeped.countDown();
  }

  /** The person on the line hangs up (from the caller script, on the owner thread). */
  public void hangUpByCaller() {
    command(new End("completed"));
  }

  public boolean awaitEnd(Duration timeout) throws InterruptedException {
    return ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  public boolean isEnded() {
    return ended.getCount() == 0;
  }

  /** When Twilio's REST API accepted the call: what a dial-rate limit is measured on. */
  public Instant created() {
    return created;
  }

  Instant startTime() {
    return startTime;
  }

  /**
   * When the call ended (completed, busy, no-answer, failed or canceled), or null while it lasts.
   */
  public Instant endTime() {
    return endTime;
  }

  Instant updated() {
    return updated;
  }

  synchronized Long durationSeconds() {
    if (startTime == null || endTime == null) {
      return null;
    }
    return Duration.between(startTime, endTime).toSeconds();
  }

  void start() {
    // a virtual thread: it only waits (rings, pauses, a stream running on the callers' event
    // loops) and sends webhooks; nothing timed per frame runs on it
    owner = Thread.ofVirtual().name("call-" + sid).start(this::run);
  }

  /**
   * Whether a REST update waits to be acted on. Its interrupt alone can be lost (a webhook sent by
   * the owner thread at that moment may swallow it), so long waits also look here.
   */
  public boolean commandPending() {
    return !commands.isEmpty();
  }

  /** From the REST API: hang up (completed) or cancel (canceled), or redirect. */
  void command(Command command) {
    commands.add(command);
    Thread t = owner;
    if (t != null) {
      t.interrupt();
    }
  }

  private void run() {
    String terminal;
    try {
      terminal = direction.equals("inbound") ? inbound() : outbound();
    } catch (Cut cut) {
      terminal = cut.command instanceof End end ? end.status() : "completed";
    } catch (RuntimeException e) {
      error("call failed: " + e);
      terminal = startTime == null ? "failed" : "completed";
    }
    finish(terminal);
  }

  private String outbound() {
    List<String> events = create.all("StatusCallbackEvent");
    callback("initiated", events, "initiated");
    status = "ringing";
    touch();
    callback("ringing", events, "ringing");
    int timeout = Integer.parseInt(create.first("Timeout").orElse("60"));
    Duration ring = destination.ringFor();
    switch (destination.outcome()) {
      case BUSY -> {
        waitFor(ring);
        return "busy";
      }
      case FAILED -> {
        waitFor(ring);
        return "failed";
      }
      case NO_ANSWER -> {
        waitFor(Duration.ofSeconds(timeout));
        return "no-answer";
      }
      case ANSWER -> {
        if (ring.compareTo(Duration.ofSeconds(timeout)) > 0) {
          waitFor(Duration.ofSeconds(timeout));
          return "no-answer";
        }
        waitFor(ring);
      }
    }
    answer();
    callback("answered", events, "in-progress");
    String detection = create.get("MachineDetection");
    boolean async = "true".equalsIgnoreCase(create.get("AsyncAmd"));
    if (detection != null && !async) {
      // synchronous detection holds the TwiML until it has an answer
      waitFor(destination.amdDuration());
      answeredBy = answeredByFor(detection);
    } else if (detection != null) {
      Thread.ofVirtual().start(this::asyncAmd);
    }
    timeLimit();
    Params extra = new Params(List.of());
    if (answeredBy != null) {
      extra = new Params(List.of(java.util.Map.entry("AnsweredBy", answeredBy)));
    }
    String twiml = create.get("Twiml");
    String url = create.get("Url");
    if (url != null) {
      twiml = fetch(url, create.first("Method").orElse("POST"), extra, create.get("FallbackUrl"));
      if (twiml == null) {
        return "completed";
      }
    }
    execute(twiml);
    return "completed";
  }

  private String inbound() {
    TwilioConfig.PhoneNumber number = carrier.number(to);
    String twiml =
        fetch(number.voiceUrl(), "POST", new Params(List.of()), number.voiceFallbackUrl());
    if (twiml == null) {
      return startTime == null ? "failed" : "completed";
    }
    execute(twiml);
    return "completed";
  }

  private String answeredByFor(String detection) {
    String by = destination.answeredBy();
    if (detection.equals("Enable") && by.startsWith("machine_end")) {
      // without DetectMessageEnd Twilio reports the machine as soon as it recognises it
      return "machine_start";
    }
    if (detection.equals("DetectMessageEnd") && by.equals("machine_start")) {
      return "machine_end_beep";
    }
    return by;
  }

  private void asyncAmd() {
    String verdict = answeredByFor(create.get("MachineDetection"));
    try {
      if (verdict.startsWith("machine_end") && hasBeep()) {
        // like Twilio's DetectMessageEnd: the verdict comes when the greeting's beep has sounded
        if (!beeped.await(60, TimeUnit.SECONDS)) {
          return;
        }
        // not before its last frame has played: audio sent at once must not overlap the beep
        clock.sleepUntil(beepEndMillis);
      } else {
        clock.sleep(destination.amdDuration());
      }
    } catch (InterruptedException e) {
      return;
    }
    if (isEnded()) {
      return;
    }
    answeredBy = answeredByFor(create.get("MachineDetection"));
    String url = create.get("AsyncAmdStatusCallback");
    if (url != null) {
      Params params =
          Params.of(
              ordered(
                  "AccountSid", accountSid,
                  "CallSid", sid,
                  "AnsweredBy", answeredBy,
                  "MachineDetectionDuration", Long.toString(destination.amdDuration().toMillis())));
      carrier
          .webhooks()
          .send(url, create.first("AsyncAmdStatusCallbackMethod").orElse("POST"), params);
    }
  }

  private boolean hasBeep() {
    return destination.script().steps().stream().anyMatch(s -> s instanceof CallerScript.Beep);
  }

  private void timeLimit() {
    String limit = create == null ? null : create.get("TimeLimit");
    if (limit == null) {
      return;
    }
    long seconds = Long.parseLong(limit);
    Thread.ofVirtual()
        .start(
            () -> {
              try {
                clock.sleep(Duration.ofSeconds(seconds));
                command(new End("completed"));
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
  }

  private synchronized void answer() {
    if (startTime == null) {
      status = "in-progress";
      startTime = Instant.now();
      touch();
      if ("true".equalsIgnoreCase(create == null ? null : create.get("Record"))) {
        carrier.startRecording(this, "OutboundAPI", create);
      }
    }
  }

  /** Runs a TwiML document, following redirects, until it ends or the call is hung up. */
  private void execute(String twiml) {
    String document = twiml;
    for (int hops = 0; hops < MAX_REDIRECTS && document != null; hops++) {
      try {
        document = runVerbs(Twiml.parse(document));
      } catch (Cut cut) {
        if (cut.command instanceof Redirect redirect) {
          document =
              redirect.twiml() != null
                  ? redirect.twiml()
                  : fetch(redirect.url(), redirect.method(), new Params(List.of()));
        } else {
          throw cut;
        }
      } catch (IllegalArgumentException e) {
        error("12100 Document parse failure: " + e.getMessage());
        return;
      }
    }
  }

  /** Executes verbs; returns the next document when a verb moves on to one, else null. */
  private String runVerbs(List<Twiml.Verb> verbs) {
    for (Twiml.Verb verb : verbs) {
      checkCommands();
      switch (verb) {
        case Twiml.Say say -> {
          answer();
          int words = say.text().isBlank() ? 0 : say.text().trim().split("\\s+").length;
          waitFor(Duration.ofMillis(Math.max(500, words * 350L) * Math.max(1, say.loop())));
        }
        case Twiml.Pause pause -> {
          answer();
          waitFor(Duration.ofSeconds(pause.lengthSeconds()));
        }
        case Twiml.Hangup h -> {
          return null;
        }
        case Twiml.Redirect redirect -> {
          return fetch(redirect.url(), redirect.method(), new Params(List.of()));
        }
        case Twiml.Dial dial -> {
          answer();
          dialed.add(dial.target());
          if (dial.action() != null) {
            return fetch(
                dial.action(),
                "POST",
                Params.of(ordered("DialCallStatus", "completed", "DialCallDuration", "0")));
          }
        }
        case Twiml.ConnectStream stream -> {
          answer();
          try {
            carrier.mediaLeg().connect(this, stream);
          } catch (InterruptedException e) {
            // a REST update interrupted the stream; the command says what happens next
            checkCommands();
          }
          checkCommands();
          if (stream.action() != null) {
            return fetch(stream.action(), stream.method(), new Params(List.of()));
          }
        }
        case Twiml.Unsupported unsupported -> {
          error("12100 unsupported TwiML verb <" + unsupported.name() + ">");
          return null;
        }
      }
    }
    return null;
  }

  private void checkCommands() {
    Thread.interrupted();
    Command command = commands.poll();
    if (command != null) {
      throw new Cut(command);
    }
  }

  /** Waits on the sim clock; a REST update cuts the wait short. */
  private void waitFor(Duration duration) {
    long deadline = clock.nowMillis() + duration.toMillis();
    try {
      checkCommands();
      clock.sleepUntil(deadline);
    } catch (InterruptedException e) {
      checkCommands();
      // an interrupt without a command (e.g. the simulator is closing) ends the call
      throw new Cut(new End(startTime == null ? "canceled" : "completed"));
    }
  }

  /** Requests TwiML from the app; null (after recording the error) when none could be had. */
  private String fetch(String url, String method, Params extra) {
    return fetch(url, method, extra, null);
  }

  /** As {@link #fetch(String, String, Params)}, trying {@code fallback} when the URL fails. */
  private String fetch(String url, String method, Params extra, String fallback) {
    List<java.util.Map.Entry<String, String>> pairs = new ArrayList<>(common().pairs());
    pairs.addAll(extra.pairs());
    Webhooks.Delivery d = carrier.webhooks().send(url, method, new Params(pairs));
    if (!d.ok() || !d.body().strip().startsWith("<")) {
      error("11200 HTTP retrieval failure: " + url + " answered " + d.status());
      if (fallback != null) {
        Webhooks.Delivery f = carrier.webhooks().send(fallback, "POST", new Params(pairs));
        if (f.ok()) {
          return f.body();
        }
      }
      return null;
    }
    return d.body();
  }

  Params common() {
    return Params.of(
        ordered(
            "AccountSid", accountSid,
            "ApiVersion", "2010-04-01",
            "CallSid", sid,
            "CallStatus", status,
            "Called", to,
            "Caller", from,
            "Direction", direction,
            "From", from,
            "To", to));
  }

  /** A status callback for a subscribed event; the terminal one is always sent. */
  private void callback(String event, List<String> subscribed, String callStatus) {
    String url = statusCallbackUrl();
    if (url == null || !subscribed.contains(event)) {
      return;
    }
    sendStatus(url, callStatus, false);
  }

  private String statusCallbackUrl() {
    if (direction.equals("inbound")) {
      TwilioConfig.PhoneNumber number = carrier.number(to);
      return number == null ? null : number.statusCallback();
    }
    return create.get("StatusCallback");
  }

  private void sendStatus(String url, String callStatus, boolean terminal) {
    Params base = common();
    List<java.util.Map.Entry<String, String>> pairs = new ArrayList<>();
    for (var e : base.pairs()) {
      pairs.add(
          e.getKey().equals("CallStatus") ? java.util.Map.entry("CallStatus", callStatus) : e);
    }
    pairs.add(java.util.Map.entry("CallbackSource", "call-progress-events"));
    pairs.add(java.util.Map.entry("Timestamp", TwilioSim.rfc2822(Instant.now())));
    synchronized (this) {
      pairs.add(java.util.Map.entry("SequenceNumber", Integer.toString(sequence++)));
    }
    if (answeredBy != null) {
      pairs.add(java.util.Map.entry("AnsweredBy", answeredBy));
    }
    if (terminal) {
      Long duration = durationSeconds();
      String d = Long.toString(duration == null ? 0 : duration);
      pairs.add(java.util.Map.entry("CallDuration", d));
      pairs.add(java.util.Map.entry("Duration", d));
      for (Recording r : recordings) {
        pairs.add(java.util.Map.entry("RecordingUrl", carrier.recordingUrl(r)));
        pairs.add(java.util.Map.entry("RecordingSid", r.sid()));
        pairs.add(java.util.Map.entry("RecordingDuration", Long.toString(r.durationSeconds())));
      }
    }
    String method =
        direction.equals("inbound") ? "POST" : create.first("StatusCallbackMethod").orElse("POST");
    deliver(url, method, new Params(pairs));
  }

  private void deliver(String url, String method, Params params) {
    Faults faults = carrier.faults();
    boolean outOfOrder =
        faults.take(Faults.Target.TWILIO, sid, Fault.OutOfOrderCallbacks.class).isPresent();
    int copies =
        faults.take(Faults.Target.TWILIO, sid, Fault.DuplicateCallbacks.class).isPresent() ? 2 : 1;
    for (int i = 0; i < copies; i++) {
      if (outOfOrder) {
        synchronized (held) {
          held.add(new Held(url, method, params));
        }
      } else {
        carrier.webhooks().send(url, method, params);
      }
    }
  }

  private void finish(String terminal) {
    synchronized (this) {
      status = terminal;
      endTime = Instant.now();
      touch();
    }
    carrier.mediaLeg().callEnded(this);
    for (Recording r : recordings) {
      carrier.completeRecording(this, r);
    }
    String url = statusCallbackUrl();
    if (url != null) {
      sendStatus(url, terminal, true);
    }
    List<Held> late;
    synchronized (held) {
      late = new ArrayList<>(held);
      held.clear();
    }
    // the out-of-order fault holds callbacks back and delivers them newest first
    for (int i = late.size() - 1; i >= 0; i--) {
      Held d = late.get(i);
      carrier.webhooks().send(d.url(), d.method(), d.params());
    }
    ended.countDown();
  }

  private void touch() {
    updated = Instant.now();
  }

  static java.util.LinkedHashMap<String, String> ordered(String... kv) {
    java.util.LinkedHashMap<String, String> map = new java.util.LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      map.put(kv[i], kv[i + 1]);
    }
    return map;
  }
}
