package io.parley.conversation;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.parley.agents.AgentConfig;
import io.parley.calls.CallOutcome;
import io.parley.calls.CallRecord;
import io.parley.calls.NewSegment;
import io.parley.calls.NewToolInvocation;
import io.parley.calls.SegmentRole;
import io.parley.calls.ToolStatus;
import io.parley.calls.TurnTimings;
import io.parley.conversation.audio.Ambience;
import io.parley.conversation.audio.AmbienceMixer;
import io.parley.llm.LlmCall;
import io.parley.llm.LlmEvent;
import io.parley.llm.LlmMessage;
import io.parley.llm.LlmRequest;
import io.parley.llm.SpeakableChunker;
import io.parley.media.FrameClock;
import io.parley.stt.SttEvent;
import io.parley.stt.SttSession;
import io.parley.telephony.CallControl;
import io.parley.telephony.CallControlException;
import io.parley.telephony.PublicUrls;
import io.parley.telephony.StreamListener;
import io.parley.telephony.StreamOutput;
import io.parley.telephony.StreamStart;
import io.parley.telephony.Twiml;
import io.parley.telephony.twilio.OutboundMessages;
import io.parley.telephony.twilio.StreamEvent;
import io.parley.tts.TtsEvent;
import io.parley.tts.TtsSession;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One live call: the caller's audio goes to speech recognition, the caller's turns to the model,
 * the model's text to the voice, the voice's audio to Twilio in paced frames. The call lives on one
 * media event loop, the one its Twilio socket was accepted on: the socket's messages, the speech
 * recogniser's and the voice's events and the audio clock's ticks all run there, so every piece of
 * state has one thread and no locks, and a caller frame goes from Twilio's socket to Deepgram's on
 * the thread that read it. What may block (loading the call's record, the model stream, tools,
 * telephony requests, record writes) runs on virtual threads and posts {@link Signal}s back to the
 * loop. Barge-in bumps the voice epoch, so whatever belonged to the cancelled reply is dropped
 * wherever it turns up.
 */
final class CallSession implements StreamListener {

  private static final Logger log = LoggerFactory.getLogger(CallSession.class);

  /** Signals kept while the call's record is loading; more means something is badly wrong. */
  static final int PENDING_CAPACITY = 10_000;

  /** How often the call's time limit and key bursts are looked at. */
  static final long HOUSEKEEPING_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  static final int EARLY_AUDIO_FRAMES = 250;
  static final Duration MODEL_BUDGET = Duration.ofSeconds(10);
  static final Duration TOOL_TIMEOUT = Duration.ofSeconds(5);
  static final int FAILURE_BUDGET = 3;

  /**
   * A reply paused by a sign of speech resumes after this long if nothing confirms the
   * interruption: line noise can start voice activity without any word or utterance end to follow.
   */
  static final long PAUSE_LIMIT_NANOS = TimeUnit.MILLISECONDS.toNanos(1500);

  /** How long past the detection timeout the agent waits for a verdict before it talks anyway. */
  static final int VERDICT_GRACE_SECONDS = 2;

  /**
   * A campaign's live answer must hear the agent within 2 s or it is a drop (47 CFR 64.1200(a)(7)).
   * Twilio's asynchronous machine detection often takes longer than that for a person, so a
   * campaign call waiting for the verdict speaks first after this long; a machine verdict that
   * comes later still ends the call.
   */
  static final Duration SPEAK_BEFORE_VERDICT = Duration.ofMillis(800);

  /**
   * With no agent audio by then, a campaign call plays its safe-harbour message (recorded ahead, so
   * it is heard at once) and hangs up: the rest of the 2 s is the audio path's margin.
   */
  static final Duration SAFE_HARBOUR_AT = Duration.ofMillis(1500);

  /** A live answer whose first agent audio came later than this is a drop. */
  static final Duration DROP_AFTER = Duration.ofSeconds(2);

  /** The utterance number of a recorded message: the voice numbers its own from 1. */
  private static final int RECORDED_UTTERANCE = -1;

  /** Room tone kept buffered at Twilio between replies. */
  static final long AMBIENCE_LEAD_NANOS = TimeUnit.MILLISECONDS.toNanos(40);

  /** After the closing words, the call is hung up at the latest this long after its limit. */
  static final Duration CLOSING_GRACE = Duration.ofSeconds(15);

  static final String APOLOGY_RETRY = "Sorry, I didn't quite get that. Could you say it again?";
  static final String APOLOGY_END =
      "I'm sorry, I'm having technical trouble. Please call again later. Goodbye.";
  static final String TIME_LIMIT =
      "I'm sorry, we've reached the time limit for this call. Goodbye.";

  private final StreamStart start;
  private final StreamOutput out;
  private final CallServices services;
  private final Runnable onEnd;
  private final UUID callId;
  private final EventLoop loop;
  private final FrameClock frameClock;
  private final Runnable tick = this::tick;
  private final ExecutorService helpers = Executors.newVirtualThreadPerTaskExecutor();
  private final OutboundMessages messages;
  private final RecordWriter writer;

  // ---- state (the call's loop only) ------------------------------------------------------------
  // Until the record has loaded, signals wait here and caller audio in earlyAudio.
  private boolean ready;
  private final ArrayDeque<Signal> pending = new ArrayDeque<>();
  private final ArrayDeque<byte[]> earlyAudio = new ArrayDeque<>();
  private SttSession stt;
  private long voiceEpoch;
  private long nextHousekeepingNanos;
  private boolean tornDown;
  private CallRecord call;
  private AgentConfig agent;
  private CallSetup setup;
  private CallTools tools;
  private BargeInRule bargeIn;
  private TtsSession voice;
  private OutboundPacer pacer;
  private final PacerSink sink = new PacerSink();
  private final OutboundPacer.Heard heard = this::heard;
  private AmbienceMixer ambience; // null when the agent has no background ambience
  private final byte[] ambienceFrame = new byte[OutboundPacer.FRAME_BYTES];
  private final byte[] mixedFrame = new byte[OutboundPacer.FRAME_BYTES];
  private int sttSessionNumber;
  private int sttRestarts;
  private String systemPrompt;
  private final List<Object> history = new ArrayList<>(); // LlmMessage or AssistantTurn
  private Reply reply;
  private AssistantTurn currentTurn;
  private SpeakableChunker chunker;
  private LlmCall model;
  private int responseNumber;
  private final ArrayDeque<SpokenChunk> awaitingAudio = new ArrayDeque<>();
  private final Map<Long, SpokenChunk> chunksBySeq = new HashMap<>();
  private final StringBuilder callerWords = new StringBuilder();
  private final DtmfBursts keys = new DtmfBursts();
  private long lastCallerWordEndMs;
  private Instant lastFinalAt;
  // Paused: the caller may be interrupting. Twilio's buffer was cleared and what the caller had not
  // heard waits in the pacer; a resume sends it again, a confirmed interruption drops it.
  private boolean paused;
  private long pausedAtNanos;
  private long pauseReactionNanos;
  // Whether this caller utterance already had the model's connection made ready.
  private boolean modelConnectionPrepared;
  private boolean closing;
  private boolean ended;
  private String endReason = "the call ended";
  private CallOutcome endOutcome = CallOutcome.COMPLETED;
  private int modelFailures;
  private int voiceFailures;
  private Instant deadline;
  // Outbound with asynchronous machine detection: the agent stays quiet until the verdict.
  private boolean awaitingVerdict;
  private Instant verdictDeadline;
  // Abandonment (campaign attempts only): whether the callee has heard the agent, whether the
  // call is known to have reached a machine, and whether it was recorded as a drop.
  private boolean campaignCall;
  private byte[] safeHarbourAudio; // the campaign's uploaded recording, if it has one
  private boolean agentHeard;
  private boolean machineAnswered;
  private boolean dropped;
  // Voicemail drop: the message left after a machine's beep (null: hang up on machines silently),
  // the campaign's recording played instead when the call was placed with one (null: none, or it
  // was removed since), and whether it is being left (then nothing the greeting's noise may cut
  // it).
  private String voicemail;
  private byte[] voicemailAudio;
  private boolean leavingVoicemail;

  CallSession(
      StreamStart start,
      StreamOutput out,
      FrameClock frameClock,
      CallServices services,
      Runnable onEnd) {
    this.start = start;
    this.out = out;
    this.loop = out.loop();
    this.frameClock = frameClock;
    this.services = services;
    this.onEnd = onEnd;
    this.callId = start.callId();
    this.writer = new RecordWriter(callId);
    this.messages = new OutboundMessages(start.streamSid());
  }

  /** A listener for a stream that was refused: it ignores everything. */
  static StreamListener ignoring() {
    return new StreamListener() {
      @Override
      public void onAudio(ByteBuf mulaw) {
        mulaw.release();
      }

      @Override
      public void onEvent(StreamEvent event) {}

      @Override
      public void onClosed(int code, String reason) {}
    };
  }

  // ---- the socket's side (on the loop) ---------------------------------------------------------

  /** A caller frame, written to the recogniser's socket on this same thread. */
  @Override
  public void onAudio(ByteBuf mulaw) {
    if (stt != null && !tornDown) {
      stt.send(mulaw);
      return;
    }
    if (!tornDown && earlyAudio.size() < EARLY_AUDIO_FRAMES) {
      byte[] frame = new byte[mulaw.readableBytes()];
      mulaw.readBytes(frame);
      earlyAudio.add(frame);
    }
    mulaw.release();
  }

  @Override
  public void onEvent(StreamEvent event) {
    switch (event) {
      case StreamEvent.Mark mark -> deliver(new Signal.MarkPlayed(mark.name()));
      case StreamEvent.Dtmf dtmf -> deliver(new Signal.KeyPressed(dtmf.digit()));
      case StreamEvent.Stop stop -> deliver(new Signal.StreamEnded("the stream stopped", false));
      default -> {}
    }
  }

  @Override
  public void onClosed(int code, String reason) {
    // 1000/1001 and a dropped connection (1006) are how calls end; anything else means the stream
    // broke (bad data, a message too big, a protocol error) and the record should say so.
    boolean broken = code != 1000 && code != 1001 && code != 1005 && code != 1006;
    deliver(
        new Signal.StreamEnded(
            "the media socket closed (" + code + (reason == null ? "" : " " + reason) + ")",
            broken));
  }

  /** The answering-machine verdict for this (outbound) call. */
  void verdict(String answeredBy, boolean human) {
    post(new Signal.Verdict(answeredBy, human));
  }

  /** Ends the call from outside (shutdown). */
  void shutdown(String reason) {
    post(new Signal.StreamEnded(reason, false));
    out.close(1001, "going away");
  }

  /** From any thread: the signal is handled on the call's loop, after what is already queued. */
  private void post(Signal signal) {
    try {
      loop.execute(() -> deliver(signal));
    } catch (RejectedExecutionException e) {
      log.debug(
          "Call {}: the loop is gone, dropped a {}", callId, signal.getClass().getSimpleName());
    }
  }

  /** On the loop: handles a signal now (or keeps it until the call has loaded). */
  private void deliver(Signal signal) {
    if (tornDown) {
      return;
    }
    if (!ready) {
      if (pending.size() < PENDING_CAPACITY) {
        pending.add(signal);
      } else {
        services.metrics().mailboxFull();
        log.error("Call {} dropped a {} while loading", callId, signal.getClass().getSimpleName());
      }
      return;
    }
    guarded(
        () -> {
          if (!ended) {
            handle(signal);
          }
          pump();
        });
  }

  /**
   * Runs a piece of the call's work on the loop with the call named in the logging context (set per
   * task, since the loop carries many calls); a failure ends the call as a system error.
   */
  private void guarded(Runnable work) {
    MDC.put("callId", callId.toString());
    MDC.put("callSid", start.callSid());
    try {
      work.run();
    } catch (RuntimeException e) {
      log.error("Call {} failed", callId, e);
      endOutcome = CallOutcome.SYSTEM_ERROR;
      endReason = "Parley failed: " + e.getClass().getSimpleName();
      ended = true;
      out.close(1011, "internal error");
    } finally {
      if (ended) {
        tearDown(endOutcome);
      }
      MDC.remove("callId");
      MDC.remove("callSid");
    }
  }

  // ---- start --------------------------------------------------------------------------------

  /**
   * Starts the call: its record and agent are read on a virtual thread (the database must not hold
   * the loop), then the call opens its recogniser and voice on the loop. Called on the loop.
   */
  void start() {
    Thread.ofVirtual()
        .name("call-load-" + callId)
        .start(
            () -> {
              try {
                load();
                loop.execute(() -> guarded(this::begin));
              } catch (RuntimeException e) {
                loop.execute(
                    () ->
                        guarded(
                            () -> {
                              throw e;
                            }));
              }
            });
  }

  /** Off the loop: what the call needs from the database. */
  private void load() {
    call =
        services
            .records()
            .find(callId)
            .orElseThrow(() -> new IllegalStateException("No record for call " + callId));
    agent = services.agents().readSnapshot(call.agentSnapshotJson());
    setup = new CallSetup(call, agent, services.prompts(), services.json());
    systemPrompt = setup.systemPrompt();
    if (call.campaignId() != null) {
      safeHarbourAudio = services.campaignAudio().safeHarbour(call.campaignId()).orElse(null);
      if (call.voicemailRecording() != null) {
        voicemailAudio = services.campaignAudio().voicemail(call.campaignId()).orElse(null);
      }
    }
    tools =
        new CallTools(
            agent.tools(),
            services.records(),
            services.doNotCall(),
            services.prompts(),
            services.callbacks(),
            services.json(),
            services.clock());
  }

  /** On the loop, once loaded: the rest of the set-up, then what arrived meanwhile. */
  private void begin() {
    ready = true;
    history.add(new LlmMessage.System(systemPrompt));
    pacer = new OutboundPacer();
    bargeIn = new BargeInRule(setup.bargeInSettings());
    deadline = start.startedAt().plusSeconds(agent.maxCallDurationSeconds());
    if (agent.backgroundAmbience()) {
      // A random place in the loop, so calls started together do not sound alike.
      ambience = new AmbienceMixer(Ambience.office().cursor(new Random()));
    }
    openRecognition();
    voice = services.textToSpeech().open(setup.voiceSpec(), this::onVoiceEvent, loop);
    if (agent.recording().enabled()) {
      startRecording();
    }
    campaignCall = call.campaignId() != null;
    voicemail = call.voicemailMessage();
    if (campaignCall && safeHarbourAudio == null && call.safeHarbourMessage() != null) {
      services.safeHarbours().prepare(setup.voiceSpec(), call.safeHarbourMessage(), loop);
    }
    if (start.awaitsAnsweredBy() && call.answeredBy() == null) {
      awaitingVerdict = true;
      verdictDeadline =
          services
              .clock()
              .instant()
              .plusSeconds(agent.amd().timeoutSeconds() + VERDICT_GRACE_SECONDS);
    } else if (call.answeredBy() == null || CallSetup.human(call.answeredBy())) {
      open();
    } else if (leavesVoicemail() && call.answeredBy().startsWith("machine")) {
      // The verdict beat the stream: wait for the beep, or leave the message now.
      awaitingVerdict = true;
      verdictDeadline =
          services
              .clock()
              .instant()
              .plusSeconds(agent.amd().timeoutSeconds() + VERDICT_GRACE_SECONDS);
      onMachine(call.answeredBy());
    } else {
      // A machine: telephony is hanging up; the agent says nothing.
      machineAnswered = true;
      closing = true;
    }
    frameClock.add(tick);
    while (!pending.isEmpty() && !ended) {
      handle(pending.poll());
    }
    pending.clear();
    pump();
  }

  private void onVoiceEvent(TtsEvent event) {
    post(new Signal.Voice(voiceEpoch, event));
  }

  private void openRecognition() {
    int number = ++sttSessionNumber;
    SttSession session =
        services
            .speechToText()
            .open(
                setup.sttSpec(start.callSid()),
                event -> post(new Signal.Heard(number, event)),
                loop);
    SttSession previous = stt;
    stt = session;
    while (!earlyAudio.isEmpty()) {
      session.send(earlyAudio.poll());
    }
    if (previous != null) {
      previous.close();
    }
  }

  /** The audio clock's tick (every 20 ms): whatever is due goes out. */
  private void tick() {
    if (!tornDown) {
      guarded(this::pump);
    }
  }

  /**
   * Sends what is due and looks after the call's deadlines; run after every signal and on every
   * tick of the loop's audio clock, so audio never waits more than one frame period.
   */
  private void pump() {
    if (ended) {
      return;
    }
    long now = System.nanoTime();
    if (paused && now - pausedAtNanos > PAUSE_LIMIT_NANOS) {
      paused = false;
    }
    if (!paused) {
      fillWithAmbience(now);
      pacer.poll(now, sink);
    }
    if (now - nextHousekeepingNanos >= 0) {
      nextHousekeepingNanos = now + HOUSEKEEPING_NANOS;
      checkDeadline();
      keys.due(services.clock().instant()).ifPresent(this::writeKeys);
    }
  }

  /**
   * With ambience on, the line never goes silent: when nothing is queued and Twilio holds less than
   * {@link #AMBIENCE_LEAD_NANOS}, one frame of room tone is queued. The lead is kept short so the
   * agent's next words wait behind at most that much ambience.
   */
  private void fillWithAmbience(long now) {
    if (ambience == null
        || pacer.queuedFrames() > 0
        || pacer.bufferedNanos(now) > AMBIENCE_LEAD_NANOS) {
      return;
    }
    ambience.silenceFrame(ambienceFrame);
    pacer.offer(ambienceFrame, OutboundPacer.FILLER);
    pacer.flush();
  }

  private void handle(Signal signal) {
    switch (signal) {
      case Signal.Heard heard -> onHeard(heard);
      case Signal.Model m -> onModel(m.response(), m.event());
      case Signal.Voice v -> onVoice(v.epoch(), v.event());
      case Signal.MarkPlayed mark -> onMark(mark.name());
      case Signal.ToolsDone done -> onToolsDone(done.response(), done.outcomes());
      case Signal.KeyPressed key -> onKey(key.digit());
      case Signal.StreamEnded end -> {
        ended = true;
        if (leavingVoicemail && reply != null && !reply.finished) {
          finishCall(CallOutcome.MACHINE, "the machine hung up before the voicemail had played");
        }
        if (!closing) {
          endReason = end.reason();
          if (end.broken()) {
            endOutcome = CallOutcome.SYSTEM_ERROR;
          }
        }
      }
      case Signal.ControlDone done -> onControlDone(done);
      case Signal.Verdict v -> onVerdict(v);
    }
  }

  // ---- opening words -------------------------------------------------------------------------

  private void onVerdict(Signal.Verdict verdict) {
    if (!verdict.human() && leavesVoicemail() && verdict.answeredBy().startsWith("machine")) {
      onMachine(verdict.answeredBy());
      return;
    }
    if (!awaitingVerdict) {
      if (!verdict.human() && campaignCall && !machineAnswered) {
        // The agent spoke before the verdict (SPEAK_BEFORE_VERDICT): telephony hangs up on the
        // machine; the agent stops talking to it.
        machineAnswered = true;
        closing = true;
        endReason = "answering-machine detection: " + verdict.answeredBy();
        if (reply != null && !reply.finished) {
          cutReply();
        }
      }
      return;
    }
    awaitingVerdict = false;
    if (verdict.human()) {
      callerWords.setLength(0); // the callee's "hello?" is answered by the greeting
      open();
    } else {
      machineAnswered = true;
      closing = true;
      endReason = "answering-machine detection: " + verdict.answeredBy();
    }
  }

  /**
   * A machine answered a call with a voicemail message: whatever the agent was saying stops (it
   * went into the greeting); at {@code machine_start} it keeps quiet until the greeting ends, at
   * {@code machine_end_*} (the beep, or the silence after the greeting) it leaves the message.
   */
  private void onMachine(String answeredBy) {
    if (leavingVoicemail || ended) {
      return;
    }
    machineAnswered = true;
    if (reply != null && !reply.finished) {
      cutReply();
    }
    callerWords.setLength(0);
    if (!answeredBy.startsWith("machine_end")) {
      if (!awaitingVerdict) {
        // The agent spoke before the verdict: quiet again until the end of the greeting.
        awaitingVerdict = true;
        verdictDeadline =
            services
                .clock()
                .instant()
                .plusSeconds(agent.amd().timeoutSeconds() + VERDICT_GRACE_SECONDS);
      }
      return;
    }
    awaitingVerdict = false;
    leaveVoicemail(answeredBy);
  }

  /**
   * Whether the call was placed to leave a voicemail (a text or the campaign's recording), so
   * telephony leaves a machine to the conversation rather than hanging up on it.
   */
  private boolean leavesVoicemail() {
    return voicemail != null || call.voicemailRecording() != null;
  }

  /**
   * Leaves the voicemail whole, then hangs up once the last mark says it played (outcome {@code
   * voicemail_left}): the campaign's recording, paced like any recorded utterance, else the text
   * through the voice like any reply. Barge-in is off while it plays.
   */
  private void leaveVoicemail(String answeredBy) {
    if (voicemailAudio == null && voicemail == null) {
      // Placed with the campaign's recording, which was removed before the call started, and no
      // text to speak instead: the machine is hung up on as it would have been without a message.
      closing = true;
      finishCall(
          CallOutcome.MACHINE,
          "answering-machine detection: "
              + answeredBy
              + "; the campaign's voicemail recording was removed before the call");
      hangUp();
      return;
    }
    log.info("Call {}: a machine's greeting ended ({}); leaving the voicemail", callId, answeredBy);
    leavingVoicemail = true;
    closing = true;
    paused = false;
    endReason = "voicemail left after answering-machine detection: " + answeredBy;
    reply = new Reply(Reply.Kind.CLOSING);
    startTurn();
    if (voicemailAudio != null) {
      String label = "[voicemail recording: " + call.voicemailRecording() + "]";
      reply.endAction =
          new ToolOutcome.EndAction.HangUp(CallOutcome.VOICEMAIL_LEFT, endReason, label);
      playRecorded(label, voicemailAudio);
      return;
    }
    reply.endAction =
        new ToolOutcome.EndAction.HangUp(CallOutcome.VOICEMAIL_LEFT, endReason, voicemail);
    say(voicemail);
  }

  private void open() {
    reply = new Reply(Reply.Kind.OPENING);
    startTurn();
    if (agent.disclosure() != null && !agent.disclosure().isBlank()) {
      say(agent.disclosure().strip());
    }
    say(agent.greeting().strip());
  }

  /** Speaks whole sentences (the greeting, a farewell) as the current turn's text. */
  private void say(String text) {
    currentTurn.fullText.append(currentTurn.fullText.isEmpty() ? "" : " ").append(text);
    speak(text);
  }

  private void startTurn() {
    currentTurn = new AssistantTurn();
    reply.turns.add(currentTurn);
    history.add(currentTurn);
  }

  // ---- the caller ----------------------------------------------------------------------------

  private void onHeard(Signal.Heard heard) {
    if (heard.session() != sttSessionNumber) {
      services.metrics().staleEvent();
      return;
    }
    long receivedNanos = System.nanoTime();
    switch (heard.event()) {
      case SttEvent.SpeechStarted s -> {
        judge(new BargeInRule.SpeechStarted(s.atMs()), receivedNanos);
        prepareModelConnection();
      }
      case SttEvent.Partial p -> {
        judge(
            new BargeInRule.Transcript(p.text(), speechMs(p.words()), false, endMs(p.words())),
            receivedNanos);
        prepareModelConnection();
      }
      case SttEvent.Final f -> onFinal(f, receivedNanos);
      case SttEvent.UtteranceEnd u -> {
        judge(new BargeInRule.SpeechEnded(u.lastWordEndMs()), receivedNanos);
        callerTurnEnded();
      }
      case SttEvent.Reconnected r ->
          log.info("Call {}: speech recognition reconnected, {} ms resent", callId, r.resentMs());
      case SttEvent.Failed f -> onRecognitionFailed(f);
    }
  }

  private void onFinal(SttEvent.Final fin, long receivedNanos) {
    String text = fin.text().strip();
    if (!text.isEmpty()) {
      callerWords.append(callerWords.isEmpty() ? "" : " ").append(text);
      lastCallerWordEndMs = fin.endMs();
      lastFinalAt = services.clock().instant();
      writer.write(
          "a caller segment",
          () ->
              services
                  .records()
                  .appendSegment(
                      callId,
                      new NewSegment(SegmentRole.CALLER, text, fin.startMs(), fin.endMs(), false)));
      judge(
          new BargeInRule.Transcript(text, speechMs(fin.words()), true, fin.endMs()),
          receivedNanos);
    }
    if (fin.speechFinal()) {
      callerTurnEnded();
    }
  }

  private void judge(BargeInRule.Heard heard, long receivedNanos) {
    if (leavingVoicemail || (machineAnswered && awaitingVerdict)) {
      // a machine's greeting or its noise: nobody to yield to
      return;
    }
    BargeInRule.Decision decision = bargeIn.decide(heard, agentSpeaking());
    switch (decision) {
      case BargeInRule.Interrupt interrupt -> interrupt(receivedNanos);
      case BargeInRule.PauseAudio p -> pause(receivedNanos);
      case BargeInRule.ResumeAudio r -> {
        paused = false;
        // What resumed the reply was a backchannel: it is not a turn of its own.
        callerWords.setLength(0);
      }
      case BargeInRule.Ignore i -> {}
    }
  }

  /**
   * The caller has started to speak: have a live connection to the model's host ready for the
   * request at the end of their turn (once per utterance; the language model sends at most one
   * cheap request and returns at once).
   */
  private void prepareModelConnection() {
    if (modelConnectionPrepared || closing || awaitingVerdict) {
      return;
    }
    modelConnectionPrepared = true;
    // off the loop: the first use of a provider builds its HTTP client
    String provider = agent.llm().provider();
    helpers.execute(() -> services.languageModel().prepare(provider));
  }

  /**
   * A sign that the caller may be interrupting: silence the line at once with {@code clear} and
   * keep what the caller has not heard, from the last mark that came back. If the interruption is
   * confirmed nothing more of the reply is sent; if not, the reply resumes from there, repeating at
   * most one progress interval (100 ms).
   */
  private void pause(long receivedNanos) {
    if (paused) {
      return;
    }
    paused = true;
    pausedAtNanos = System.nanoTime();
    pacer.rewind();
    out.send(messages.clear(out.alloc()));
    pauseReactionNanos = System.nanoTime() - receivedNanos;
  }

  /** The caller's turn is over (endpointing or utterance end): answer what they said. */
  private void callerTurnEnded() {
    modelConnectionPrepared = false;
    String text = callerWords.toString().strip();
    if (text.isEmpty() || closing || awaitingVerdict) {
      return;
    }
    if (agentSpeaking()) {
      // Speech that did not interrupt (too short for the rule) ends: carry on talking.
      paused = false;
      callerWords.setLength(0);
      return;
    }
    callerWords.setLength(0);
    reply = new Reply(Reply.Kind.ANSWER);
    reply.sttFinal = lastFinalAt;
    reply.callerSpeechEnd = start.startedAt().plusMillis(lastCallerWordEndMs);
    history.add(new LlmMessage.User(text));
    requestModel();
  }

  private boolean agentSpeaking() {
    return reply != null && !reply.finished && !reply.interrupted;
  }

  private void onKey(String digit) {
    keys.press(digit, services.clock().instant()).ifPresent(this::writeKeys);
  }

  /** One transcript entry per burst of keys (DtmfBursts), not one per key. */
  private void writeKeys(DtmfBursts.Burst burst) {
    long from = Math.max(0, Duration.between(start.startedAt(), burst.firstAt()).toMillis());
    long to = Math.max(from, Duration.between(start.startedAt(), burst.lastAt()).toMillis());
    NewSegment segment =
        new NewSegment(SegmentRole.CALLER, "[pressed " + burst.digits() + "]", from, to, false);
    writer.write("a key press", () -> services.records().appendSegment(callId, segment));
  }

  private void onRecognitionFailed(SttEvent.Failed failed) {
    log.warn("Call {}: speech recognition failed: {}", callId, failed.reason());
    if (failed.retriable() && sttRestarts < FAILURE_BUDGET - 1) {
      sttRestarts++;
      openRecognition();
      return;
    }
    closeWith(
        CallOutcome.SYSTEM_ERROR, "speech recognition failed: " + failed.reason(), APOLOGY_END);
  }

  // ---- the model -----------------------------------------------------------------------------

  private void requestModel() {
    int number = ++responseNumber;
    startTurn();
    chunker = new SpeakableChunker();
    LlmRequest request =
        new LlmRequest(
            agent.llm().provider(),
            agent.llm().model(),
            agent.llm().temperature(),
            callId.toString(),
            messages(),
            tools.definitions(),
            MODEL_BUDGET);
    LlmCall streaming =
        services.languageModel().stream(request, event -> post(new Signal.Model(number, event)));
    model = streaming;
    reply.modelActive = true;
    if (reply.llmRequest == null) {
      reply.llmRequest = services.clock().instant();
    }
    helpers.execute(
        () -> {
          try {
            streaming.run();
          } catch (RuntimeException e) {
            post(
                new Signal.Model(
                    number, new LlmEvent.Failed(LlmEvent.FailureKind.SERVER, false, e.toString())));
          }
        });
  }

  private List<LlmMessage> messages() {
    List<LlmMessage> messages = new ArrayList<>(history.size());
    for (Object entry : history) {
      if (entry instanceof LlmMessage message) {
        messages.add(message);
      } else if (entry instanceof AssistantTurn turn) {
        turn.message().ifPresent(messages::add);
      }
    }
    return messages;
  }

  private void onModel(int response, LlmEvent event) {
    if (response != responseNumber || reply == null || reply.interrupted || !reply.modelActive) {
      services.metrics().staleEvent();
      return;
    }
    switch (event) {
      case LlmEvent.TextDelta delta -> {
        if (reply.llmFirstToken == null) {
          reply.llmFirstToken = services.clock().instant();
        }
        currentTurn.fullText.append(delta.text());
        for (String piece : chunker.append(delta.text())) {
          speak(piece);
        }
      }
      case LlmEvent.ToolCall toolCall -> currentTurn.toolCalls.add(toolCall);
      case LlmEvent.Completed completed -> {
        chunker.finish().ifPresent(this::speak);
        reply.modelActive = false;
        model = null;
        if (!currentTurn.toolCalls.isEmpty()) {
          runTools(response, List.copyOf(currentTurn.toolCalls));
        } else {
          modelFailures = 0;
          settle();
        }
      }
      case LlmEvent.Failed failed -> onModelFailed(failed);
    }
  }

  private void onModelFailed(LlmEvent.Failed failed) {
    reply.modelActive = false;
    model = null;
    if (failed.kind() == LlmEvent.FailureKind.CANCELLED) {
      return;
    }
    chunker.finish().ifPresent(this::speak);
    modelFailures++;
    log.warn("Call {}: the model failed ({}): {}", callId, failed.kind(), failed.message());
    if (modelFailures >= FAILURE_BUDGET) {
      closeWith(
          CallOutcome.SYSTEM_ERROR,
          "the language model kept failing: " + failed.kind(),
          APOLOGY_END);
      return;
    }
    if (currentTurn.fullText.isEmpty()) {
      say(APOLOGY_RETRY);
    }
    settle();
  }

  // ---- tools ---------------------------------------------------------------------------------

  private void runTools(int response, List<LlmEvent.ToolCall> calls) {
    reply.toolsRunning = true;
    CallTools.Context context =
        new CallTools.Context(
            call.organisationId(),
            callId,
            setup.customerNumber(),
            setup.leadVariables(),
            setup::render);
    CompletableFuture.supplyAsync(
            () -> calls.stream().map(c -> tools.run(c, context)).toList(), helpers)
        .completeOnTimeout(null, TOOL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
        .whenComplete(
            (outcomes, failure) ->
                post(
                    new Signal.ToolsDone(response, outcomes != null ? outcomes : timedOut(calls))));
  }

  private List<ToolOutcome> timedOut(List<LlmEvent.ToolCall> calls) {
    Instant now = services.clock().instant();
    return calls.stream()
        .map(
            c ->
                new ToolOutcome(
                    c,
                    "{\"ok\":false,\"error\":\"The tool did not answer in time.\"}",
                    false,
                    now,
                    TOOL_TIMEOUT.toMillis(),
                    null,
                    null,
                    null))
        .toList();
  }

  private void onToolsDone(int response, List<ToolOutcome> outcomes) {
    for (ToolOutcome outcome : outcomes) {
      writer.write(
          "a tool invocation",
          () ->
              services
                  .records()
                  .appendToolInvocation(
                      callId,
                      new NewToolInvocation(
                          outcome.call().name(),
                          outcome.call().id(),
                          outcome.call().argumentsJson(),
                          outcome.resultJson(),
                          outcome.ok() ? ToolStatus.OK : ToolStatus.ERROR,
                          outcome.startedAt(),
                          outcome.durationMs())));
    }
    if (response != responseNumber || reply == null || reply.interrupted || leavingVoicemail) {
      // The caller interrupted while the tools ran (or a machine's greeting ended and the
      // voicemail plays): they happened, but nobody waits for them.
      for (ToolOutcome outcome : outcomes) {
        history.add(new LlmMessage.ToolResult(outcome.call().id(), outcome.resultJson()));
      }
      return;
    }
    reply.toolsRunning = false;
    ToolOutcome.EndAction then = null;
    for (ToolOutcome outcome : outcomes) {
      history.add(new LlmMessage.ToolResult(outcome.call().id(), outcome.resultJson()));
      if (outcome.newSystemPrompt() != null) {
        systemPrompt = outcome.newSystemPrompt() + setup.languageInstruction();
        history.set(0, new LlmMessage.System(systemPrompt));
      }
      if (then == null && outcome.then() != null) {
        then = outcome.then();
      }
    }
    if (then == null) {
      requestModel();
      return;
    }
    reply.endAction = then;
    closing = true;
    if (currentTurn.fullText.toString().isBlank()) {
      startTurn();
      say(
          switch (then) {
            case ToolOutcome.EndAction.HangUp h -> h.farewell();
            case ToolOutcome.EndAction.Transfer t -> t.farewell();
          });
    }
    settle();
  }

  // ---- the voice -----------------------------------------------------------------------------

  private void speak(String text) {
    if (reply.firstSpeakableChunk == null) {
      reply.firstSpeakableChunk = services.clock().instant();
    }
    SpokenChunk chunk = new SpokenChunk(text, currentTurn);
    currentTurn.chunks.add(chunk);
    reply.chunks.add(chunk);
    awaitingAudio.add(chunk);
    voice.append(text);
    voice.flush();
  }

  private void onVoice(long epoch, TtsEvent event) {
    if (epoch != voiceEpoch) {
      services.metrics().staleEvent();
      return;
    }
    switch (event) {
      case TtsEvent.Audio audio -> {
        SpokenChunk chunk = chunkFor(audio.utteranceSeq());
        if (chunk == null) {
          return;
        }
        if (reply != null && reply.firstTtsAudio == null && reply.chunks.contains(chunk)) {
          reply.firstTtsAudio = services.clock().instant();
          reply.firstTtsAudioNanos = System.nanoTime();
        }
        chunk.addAudio(audio.mulaw(), audio.alignment());
        pacer.offer(audio.mulaw(), (int) audio.utteranceSeq());
      }
      case TtsEvent.Done done -> {
        SpokenChunk chunk = chunkFor(done.utteranceSeq());
        if (chunk == null) {
          return;
        }
        chunk.done = true;
        if (chunk.bytesReceived == 0) {
          chunk.lost = true;
          settle();
        } else {
          pacer.mark(markName(done.utteranceSeq()));
        }
      }
      case TtsEvent.Failed failed -> onVoiceFailed(failed);
    }
  }

  /**
   * The chunk an utterance number belongs to. The voice numbers utterances in the order they start,
   * which is the order they were spoken in since the last cancel.
   */
  private SpokenChunk chunkFor(long seq) {
    SpokenChunk chunk = chunksBySeq.get(seq);
    if (chunk == null) {
      chunk = awaitingAudio.poll();
      if (chunk == null) {
        services.metrics().staleEvent();
        return null;
      }
      chunk.seq = seq;
      chunksBySeq.put(seq, chunk);
    }
    return chunk;
  }

  private void onVoiceFailed(TtsEvent.Failed failed) {
    log.warn("Call {}: no voice could speak: {}", callId, failed.reason());
    voiceFailures++;
    // What was not spoken is dropped by the voice; nothing more comes for it.
    for (SpokenChunk chunk : awaitingAudio) {
      chunk.lost = true;
    }
    awaitingAudio.clear();
    for (SpokenChunk chunk : chunksBySeq.values()) {
      if (!chunk.done) {
        chunk.lost = true;
      }
    }
    if (voiceFailures >= FAILURE_BUDGET || !failed.retriable()) {
      closing = true;
      finishCall(CallOutcome.SYSTEM_ERROR, "text-to-speech failed: " + failed.reason());
      hangUp();
      return;
    }
    settle();
  }

  private static String markName(long seq) {
    return "c" + seq;
  }

  private void onMark(String wireName) {
    String name = pacer.played(wireName, heard);
    if (name == null || !name.startsWith("c")) {
      return;
    }
    long seq;
    try {
      seq = Long.parseLong(name.substring(1));
    } catch (NumberFormatException e) {
      return;
    }
    SpokenChunk chunk = chunksBySeq.remove(seq);
    if (chunk != null) {
      chunk.played = true;
      settle();
    }
  }

  /** Twilio played {@code bytes} more of an utterance's audio (a mark came back). */
  private void heard(int utterance, int bytes) {
    SpokenChunk chunk = chunksBySeq.get((long) utterance);
    if (chunk != null) {
      chunk.heardBytes += bytes;
    }
  }

  /** Ends the reply once everything it says has played. */
  private void settle() {
    if (reply == null || reply.finished || !reply.complete()) {
      return;
    }
    finishReply();
  }

  private void finishReply() {
    Reply done = reply;
    done.finished = true;
    if (!done.interrupted) {
      keepOnlyWhatPlayed(done);
    }
    reply = null;
    paused = false;
    recordReply(done);
    if (done.endAction != null) {
      leave(done.endAction);
    }
  }

  /**
   * A reply can end without being interrupted yet with pieces the caller never heard (the voice
   * failed): those are left out of the history and the transcript too.
   */
  private static void keepOnlyWhatPlayed(Reply done) {
    for (AssistantTurn turn : done.turns) {
      if (turn.chunks.stream().noneMatch(c -> c.lost)) {
        continue;
      }
      StringBuilder heard = new StringBuilder();
      for (SpokenChunk chunk : turn.chunks) {
        if (chunk.played) {
          heard.append(heard.isEmpty() ? "" : " ").append(chunk.text);
        }
      }
      turn.cutTo(heard.toString());
    }
  }

  private void recordReply(Reply done) {
    String heard = done.heardText();
    Long startMs =
        done.firstFrameSent == null
            ? null
            : Math.max(0, Duration.between(start.startedAt(), done.firstFrameSent).toMillis());
    Long endMs = startMs == null ? null : startMs + done.heardBytes() / SpokenChunk.BYTES_PER_MS;
    if (!heard.isBlank()) {
      writer.write(
          "an agent segment",
          () ->
              services
                  .records()
                  .appendSegment(
                      callId,
                      new NewSegment(SegmentRole.AGENT, heard, startMs, endMs, done.interrupted)));
    }
    if (done.kind == Reply.Kind.ANSWER || done.kind == Reply.Kind.OPENING) {
      TurnTimings timings =
          new TurnTimings(
              done.callerSpeechEnd,
              done.sttFinal,
              done.llmRequest,
              done.llmFirstToken,
              done.firstSpeakableChunk,
              done.firstTtsAudio,
              done.firstFrameSent,
              done.interrupted);
      writer.write("turn timings", () -> services.records().appendTurn(callId, timings));
      services.metrics().turn(done);
    }
  }

  // ---- barge-in ------------------------------------------------------------------------------

  /**
   * The caller interrupted: stop the model and the voice, drop every frame not yet sent, tell
   * Twilio to drop what it holds, and keep in the history only what the caller heard.
   */
  private void interrupt(long receivedNanos) {
    if (reply == null || reply.finished || reply.interrupted) {
      return;
    }
    reply.interrupted = true;
    boolean alreadyCleared = paused;
    int dropped = stopSpeaking();
    long reaction;
    if (alreadyCleared) {
      // the pause silenced the line; nothing more of the reply goes out
      reaction = pauseReactionNanos;
    } else {
      out.send(messages.clear(out.alloc()));
      reaction = System.nanoTime() - receivedNanos;
    }
    services.metrics().bargeIn(reaction, dropped);
    // A farewell cut short still ends the call: finishReply carries out its end action.
    finishReply();
  }

  /**
   * Cancels the model and the voice and empties the outbound queue. What the caller heard is what
   * the marks that came back confirm (to within one progress interval, never more than was heard).
   *
   * @return the frames dropped unsent
   */
  private int stopSpeaking() {
    if (model != null) {
      cancelModel(model);
      model = null;
    }
    reply.modelActive = false;
    voice.cancel();
    voiceEpoch++;
    OutboundPacer.Cleared cleared = pacer.clear();
    paused = false;
    for (AssistantTurn turn : reply.turns) {
      StringBuilder heardText = new StringBuilder();
      for (SpokenChunk chunk : turn.chunks) {
        String words = chunk.heard(chunk.heardBytes);
        if (!words.isEmpty()) {
          heardText.append(heardText.isEmpty() ? "" : " ").append(words);
        }
        if (!chunk.played) {
          chunk.lost = true;
        }
      }
      turn.cutTo(heardText.toString());
    }
    awaitingAudio.clear();
    chunksBySeq.clear();
    return cleared.droppedFrames();
  }

  // ---- leaving -------------------------------------------------------------------------------

  private void checkDeadline() {
    Instant now = services.clock().instant();
    if (campaignCall && !agentHeard && !closing && !machineAnswered) {
      checkAnswerGap(Duration.between(start.startedAt(), now));
    }
    if (awaitingVerdict && machineAnswered && now.isAfter(verdictDeadline)) {
      log.info("Call {}: a machine's greeting did not end in time; hanging up", callId);
      awaitingVerdict = false;
      closing = true;
      finishCall(CallOutcome.MACHINE, "answering-machine detection: the greeting did not end");
      hangUp();
    } else if (awaitingVerdict && now.isAfter(verdictDeadline)) {
      log.info("Call {}: no answering-machine verdict in time; the agent talks", callId);
      awaitingVerdict = false;
      callerWords.setLength(0);
      open();
    }
    if (!closing && now.isAfter(deadline)) {
      reachTimeLimit();
    } else if (closing && now.isAfter(deadline.plus(CLOSING_GRACE)) && !ended) {
      log.warn("Call {} is past its time limit; hanging up", callId);
      deadline = Instant.MAX;
      hangUp();
    }
  }

  private void reachTimeLimit() {
    if (closing) {
      return;
    }
    closeWith(CallOutcome.MAX_DURATION, "the call reached its time limit", TIME_LIMIT);
  }

  /** Stops whatever is being said, says {@code farewell}, then hangs up with {@code outcome}. */
  private void closeWith(CallOutcome outcome, String reason, String farewell) {
    closing = true;
    if (reply != null && !reply.finished) {
      cutReply();
    }
    reply = new Reply(Reply.Kind.CLOSING);
    startTurn();
    reply.endAction = new ToolOutcome.EndAction.HangUp(outcome, reason, farewell);
    say(farewell);
  }

  /** Stops the reply being spoken, tells Twilio to drop what it holds, and settles the reply. */
  private void cutReply() {
    Reply cut = reply;
    cut.interrupted = true;
    stopSpeaking();
    out.send(messages.clear(out.alloc()));
    reply = cut;
    cut.endAction = null;
    finishReply();
  }

  // ---- abandonment ---------------------------------------------------------------------------

  /**
   * A campaign call the agent has not yet spoken on, {@code sinceAnswer} after its stream started:
   * speak before a slow machine verdict, then, at {@link #SAFE_HARBOUR_AT}, give up on the greeting
   * and play the safe-harbour message.
   */
  private void checkAnswerGap(Duration sinceAnswer) {
    if (awaitingVerdict && sinceAnswer.compareTo(SPEAK_BEFORE_VERDICT) >= 0) {
      log.info("Call {}: no machine verdict yet; the agent speaks first", callId);
      awaitingVerdict = false;
      callerWords.setLength(0);
      open();
    }
    if (sinceAnswer.compareTo(SAFE_HARBOUR_AT) >= 0
        && (safeHarbourAudio != null || call.safeHarbourMessage() != null)) {
      playSafeHarbour();
    }
  }

  /**
   * The drop's message, then the hang-up (outcome {@code abandoned}): the campaign's uploaded
   * recording, else the message recorded ahead in the agent's voice; when neither is ready the
   * voice speaks it live, late but better than silence.
   */
  private void playSafeHarbour() {
    String message =
        call.safeHarbourMessage() != null
            ? call.safeHarbourMessage()
            : "[the campaign's safe-harbour recording]";
    String reason = "the agent could not speak within 2 s of the answer: safe-harbour message";
    markDropped();
    var recorded =
        safeHarbourAudio != null
            ? java.util.Optional.of(safeHarbourAudio)
            : services.safeHarbours().ready(setup.voiceSpec(), message);
    if (recorded.isEmpty()) {
      log.warn("Call {}: no agent audio in time; the safe-harbour message is spoken live", callId);
      closeWith(CallOutcome.ABANDONED, reason + " (spoken live)", message);
      return;
    }
    log.info("Call {}: no agent audio in time; playing the safe-harbour message", callId);
    closing = true;
    if (reply != null && !reply.finished) {
      cutReply();
    }
    reply = new Reply(Reply.Kind.CLOSING);
    startTurn();
    reply.endAction = new ToolOutcome.EndAction.HangUp(CallOutcome.ABANDONED, reason, message);
    playRecorded(message, recorded.get());
  }

  /**
   * Plays audio recorded ahead (μ-law 8 kHz) as the current turn's one chunk, shown in the
   * transcript as {@code text}: paced to Twilio like the voice's audio, with a mark after its last
   * frame, so the reply finishes (and its end action runs) once the callee has heard it all.
   */
  private void playRecorded(String text, byte[] audio) {
    reply.firstSpeakableChunk = services.clock().instant();
    currentTurn.fullText.append(text);
    SpokenChunk chunk = new SpokenChunk(text, currentTurn);
    currentTurn.chunks.add(chunk);
    reply.chunks.add(chunk);
    chunk.seq = RECORDED_UTTERANCE;
    chunksBySeq.put(chunk.seq, chunk);
    reply.firstTtsAudio = reply.firstSpeakableChunk;
    chunk.addAudio(audio, TtsEvent.Alignment.NONE);
    pacer.offer(audio, RECORDED_UTTERANCE);
    chunk.done = true;
    pacer.mark(markName(RECORDED_UTTERANCE));
  }

  /** The callee hears the agent for the first time now (on the loop, from the pacer's sink). */
  private void firstAgentAudio(Instant now) {
    agentHeard = true;
    long afterStart = Math.max(0, Duration.between(start.startedAt(), now).toMillis());
    writer.write(
        "the first agent audio",
        () -> services.records().recordFirstAgentAudio(callId, afterStart));
    if (campaignCall && !machineAnswered && afterStart > DROP_AFTER.toMillis()) {
      markDropped();
    }
  }

  /**
   * At the end: a campaign's live answer that never heard the agent is a drop when it waited more
   * than 2 s or Parley ended it (a failure); a callee who hung up sooner was not kept waiting.
   */
  private void settleDrop(Instant now, boolean parleyEnded) {
    if (!campaignCall || agentHeard || machineAnswered || dropped || !ready) {
      return;
    }
    boolean waited = Duration.between(start.startedAt(), now).compareTo(DROP_AFTER) > 0;
    if (waited || parleyEnded) {
      markDropped();
    }
  }

  private void markDropped() {
    if (dropped) {
      return;
    }
    dropped = true;
    writer.write("the drop", () -> services.records().markAbandoned(callId));
  }

  private void leave(ToolOutcome.EndAction action) {
    closing = true;
    switch (action) {
      case ToolOutcome.EndAction.HangUp h -> {
        finishCall(h.outcome(), h.reason());
        hangUp();
      }
      case ToolOutcome.EndAction.Transfer t -> {
        finishCall(CallOutcome.TRANSFERRED, "transferred to " + t.name());
        control(
            "transfer",
            c ->
                c.redirect(
                    start.callSid(), new CallControl.Instructions.Twiml(Twiml.dial(t.target()))));
      }
    }
  }

  private void finishCall(CallOutcome outcome, String reason) {
    endReason = reason;
    writer.write("the outcome", () -> services.records().setOutcome(callId, outcome, reason));
  }

  private void hangUp() {
    control("hang-up", c -> c.hangUp(start.callSid()));
  }

  private void startRecording() {
    String callback = services.urls().webhook(start.publicBase(), PublicUrls.RECORDING).toString();
    String channels = agent.recording().channels();
    control(
        "recording",
        c -> c.startRecording(start.callSid(), java.net.URI.create(callback), channels));
  }

  private interface ControlAction {
    void run(CallControl control);
  }

  /** Runs a Twilio REST request off the loop and reports how it went. */
  private void control(String what, ControlAction action) {
    helpers.execute(
        () -> {
          try {
            action.run(services.control());
            post(new Signal.ControlDone(what, null));
          } catch (CallControlException | IllegalArgumentException e) {
            post(new Signal.ControlDone(what, e.getMessage()));
          }
        });
  }

  private void onControlDone(Signal.ControlDone done) {
    if (done.failure() == null) {
      return;
    }
    log.warn("Call {}: {} failed: {}", callId, done.what(), done.failure());
    if (done.what().equals("hang-up") || done.what().equals("transfer")) {
      // Twilio could not be told; closing the stream makes it run the <Connect> action (hang up).
      out.close(1000, "call ended");
    }
  }

  /**
   * On the loop, once: stops everything the call started there, then finishes the record on a
   * virtual thread (waiting for tools and the record writer must not hold the loop).
   */
  private void tearDown(CallOutcome failureOutcome) {
    if (tornDown) {
      return;
    }
    tornDown = true;
    frameClock.remove(tick);
    try {
      if (model != null) {
        cancelModel(model);
      }
      if (reply != null && !reply.finished) {
        Reply cut = reply;
        cut.interrupted = true;
        stopSpeaking();
        reply = cut;
        cut.endAction = null;
        finishReply();
      }
    } catch (RuntimeException e) {
      log.warn("Call {}: could not settle the last reply: {}", callId, e.toString());
    }
    closeQuietly(voice);
    closeQuietly(stt);
    stt = null;
    earlyAudio.clear();
    pending.clear();
    if (ready) {
      keys.finish().ifPresent(this::writeKeys);
      settleDrop(services.clock().instant(), failureOutcome == CallOutcome.SYSTEM_ERROR);
    }
    out.close(1000, "call ended");
    String reason = endReason;
    Thread.ofVirtual()
        .name("call-end-" + callId)
        .start(
            () -> {
              helpers.shutdown();
              try {
                helpers.awaitTermination(5, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              helpers.shutdownNow();
              writer.write(
                  "the end of the call",
                  () ->
                      services
                          .records()
                          .finish(callId, failureOutcome, reason, services.clock().instant()));
              writer.close();
              services.capacity().release(callId);
              services.metrics().ended(failureOutcome.wire());
              onEnd.run();
              log.info("Call {} ended: {}", callId, reason);
            });
  }

  /**
   * Cancels a model stream off the loop: closing the SDK's stream waits for the thread reading it
   * (measured: 27 ms a time on a loop carrying 50 calls). Its later events carry an old response
   * number and are dropped.
   */
  private void cancelModel(LlmCall call) {
    try {
      helpers.execute(call::cancel);
    } catch (RejectedExecutionException e) {
      Thread.ofVirtual().start(call::cancel);
    }
  }

  private static void closeQuietly(AutoCloseable closeable) {
    if (closeable == null) {
      return;
    }
    try {
      closeable.close();
    } catch (Exception e) {
      log.debug("Close failed: {}", e.toString());
    }
  }

  private static long speechMs(List<SttEvent.Word> words) {
    return words.isEmpty() ? 0 : words.getLast().endMs() - words.getFirst().startMs();
  }

  private static long endMs(List<SttEvent.Word> words) {
    return words.isEmpty() ? 0 : words.getLast().endMs();
  }

  /** Sends what the pacer says is due; the loop's own sink, so no allocation per frame here. */
  /**
   * Turns the pacer's hand-over into Twilio messages: the frames of one top-up become one media
   * message, each mark follows the audio before it, and everything of a poll leaves in one flush.
   */
  private final class PacerSink implements OutboundPacer.Sink {
    // Frames handed over and not yet in a message: a top-up is at most the lead (6 frames), more
    // only after a rewind, when the array grows once.
    private byte[] batch = new byte[8 * OutboundPacer.FRAME_BYTES];
    private int batched;

    @Override
    public void frame(byte[] payload, int utterance) {
      SpokenChunk chunk =
          utterance == OutboundPacer.FILLER ? null : chunksBySeq.get((long) utterance);
      byte[] frame = payload;
      if (chunk != null && ambience != null) {
        // the pacer keeps its frame in case it is sent again: mix into a copy
        System.arraycopy(payload, 0, mixedFrame, 0, payload.length);
        ambience.mixInto(mixedFrame);
        frame = mixedFrame;
      }
      if (chunk != null && !agentHeard) {
        firstAgentAudio(services.clock().instant());
      }
      Reply current = reply;
      if (current != null && current.firstFrameSent == null && chunk != null) {
        current.firstFrameSent = services.clock().instant();
        if (current.firstTtsAudioNanos != 0) {
          services.metrics().firstFrame(current.firstTtsAudioNanos, System.nanoTime());
        }
      }
      if (batched + frame.length > batch.length) {
        batch = Arrays.copyOf(batch, batch.length * 2);
      }
      System.arraycopy(frame, 0, batch, batched, frame.length);
      batched += frame.length;
      services.metrics().frameSent();
    }

    @Override
    public void mark(String name) {
      writeBatch();
      out.write(messages.mark(out.alloc(), name));
    }

    @Override
    public void end() {
      writeBatch();
      out.flush();
    }

    private void writeBatch() {
      if (batched > 0) {
        out.write(messages.media(out.alloc(), batch, 0, batched));
        batched = 0;
      }
    }
  }
}
