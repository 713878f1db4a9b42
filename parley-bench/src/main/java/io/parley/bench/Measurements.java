package io.parley.bench;

import io.parley.sim.Sim;
import io.parley.sim.Timeline;
import io.parley.sim.Timeline.Event;
import io.parley.sim.caller.CallMedia;
import io.parley.sim.llm.LlmRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Reads one step's calls back from the simulators' records (all on the sim clock, in µs) and the
 * server's call records, and turns them into the figures the issue defines: Parley's added latency
 * per turn and its three hops, voice-to-voice, barge-in reaction, cancelled audio after clear, gaps
 * and jitter.
 */
final class Measurements {
  /** Server stage timestamps every answered turn must have. */
  static final List<String> STAGES =
      List.of(
          "callerSpeechEnd",
          "sttFinal",
          "llmRequest",
          "llmFirstToken",
          "firstSpeakableChunk",
          "firstTtsAudio",
          "firstFrameSent");

  private static final long GAP_MICROS = 40_000;
  private static final int LEAD_FRAMES = 6;
  private static final int FRAME_BYTES = 160;
  private static final long FRAME_MICROS = 20_000;
  private static final long DELIVERY_MICROS = 1_000;

  final List<Double> sttToLlm = new ArrayList<>();
  final List<Double> tokenToTts = new ArrayList<>();
  final List<Double> ttsToCaller = new ArrayList<>();
  final List<Double> added = new ArrayList<>();
  // the first part split at the server's own stage timestamps (wall clock mapped to the sim's)
  final List<Double> sttFinalToServer = new ArrayList<>();
  final List<Double> insideServer = new ArrayList<>();
  final List<Double> serverToLlm = new ArrayList<>();
  final List<Double> voiceToVoice = new ArrayList<>();
  final List<Double> serverVoiceToVoice = new ArrayList<>();
  final Map<String, List<Double>> serverStages = new HashMap<>();
  final List<Double> bargeInReaction = new ArrayList<>();
  final List<Double> speechStartedToPaused = new ArrayList<>();
  // per barge-in mode: the STT message that set it off → clear at the caller, and the "audible
  // stop": SpeechStarted sent → the last moment the old reply played at the caller
  final Map<BargeInMode, List<Double>> reactionByMode = new java.util.EnumMap<>(BargeInMode.class);
  final Map<BargeInMode, List<Double>> audibleStopByMode =
      new java.util.EnumMap<>(BargeInMode.class);
  final List<Double> jitter = new ArrayList<>();
  int turnsMeasured;
  int turnsExpected;
  int turnsMissingStages;
  final List<String> missingStages = new ArrayList<>();
  int bargeInsExpected;
  int bargeInsCleared;
  int framesAfterClear;
  int replies;
  int repliesWithParleyGap;
  int parleyGaps;
  int starvedGaps;
  final List<Double> parleyGapMs = new ArrayList<>();

  private final Sim sim;
  private final Scenario scenario;
  private final Map<String, List<Event>> stt = new HashMap<>();
  private final Map<String, List<Event>> llmRequests = new HashMap<>();
  private final Map<Long, List<Event>> tokens = new HashMap<>();
  private final List<Event> ttsTexts = new ArrayList<>();
  private final Map<String, Event> firstAudioBySocket = new HashMap<>();
  private final Map<Long, Event> lastAudioByEmission = new HashMap<>();
  private final AudioIndex audio;

  /** Wall-clock microseconds minus the sim clock's at the same moment (both on this host). */
  private final long wallMinusSimMicros;

  Measurements(Sim sim, Scenario scenario) {
    this.sim = sim;
    this.wallMinusSimMicros = wallMinusSim(sim.config().clock());
    this.scenario = scenario;
    this.audio = new AudioIndex(sim.emissions().emissions());
    List<Event> events = sim.timeline().events();
    events.sort(Comparator.comparingLong(Event::atMicros));
    for (Event e : events) {
      switch (e.kind()) {
        case STT_SENT -> stt.computeIfAbsent(e.key(), k -> new ArrayList<>()).add(e);
        case LLM_REQUEST -> llmRequests.computeIfAbsent(e.key(), k -> new ArrayList<>()).add(e);
        case LLM_TOKEN -> tokens.computeIfAbsent(e.ref(), k -> new ArrayList<>()).add(e);
        case TTS_TEXT -> ttsTexts.add(e);
        case TTS_FIRST_AUDIO -> firstAudioBySocket.putIfAbsent(e.key(), e);
        case TTS_LAST_AUDIO -> lastAudioByEmission.put(e.ref(), e);
        case CLEAR -> {}
      }
    }
  }

  /**
   * A readable trace of one call (its simulator events and the frames it received, with the TTS
   * emission each maps to), written beside the result to check or explain a step's figures.
   */
  String trace(CallRun run, String callId) {
    StringBuilder out = new StringBuilder("call " + run.handle().sid() + " " + callId + "\n");
    List<Event> mine = new ArrayList<>();
    java.util.Set<Long> requestRefs = new java.util.HashSet<>();
    for (Event e : llmRequests.getOrDefault(callId, List.of())) {
      requestRefs.add(e.ref());
    }
    java.util.Set<String> sockets = new java.util.HashSet<>();
    for (Event e : ttsTexts) {
      if (Scenario.normalise(e.text()).contains(run.code())) {
        sockets.add(e.key());
      }
    }
    for (Event e : sim.timeline().events()) {
      boolean keep =
          switch (e.kind()) {
            case STT_SENT, CLEAR -> run.handle().sid().equals(e.key());
            case LLM_REQUEST -> callId != null && callId.equals(e.key());
            case LLM_TOKEN -> requestRefs.contains(e.ref());
            case TTS_TEXT, TTS_FIRST_AUDIO, TTS_LAST_AUDIO -> sockets.contains(e.key());
          };
      if (keep) {
        mine.add(e);
      }
    }
    for (CallMedia.Said s : run.handle().said()) {
      mine.add(
          new Event(Timeline.Kind.CLEAR, "SAID", 0, s.utterance().text(), s.atMillis() * 1000));
    }
    for (long c : run.handle().media().clearsMicros()) {
      mine.add(new Event(Timeline.Kind.CLEAR, "CLEAR", 0, "", c));
    }
    Frames frames = frames(run);
    for (int i = 0; i < frames.size(); i++) {
      CallMedia.Received r = frames.received.get(i);
      AudioIndex.Block b = frames.block(i);
      String where = b == null ? "?" : b.emission().id() + "@" + b.offset();
      mine.add(new Event(Timeline.Kind.CLEAR, "FRAME", 0, where, r.atMicros()));
    }
    mine.sort(Comparator.comparingLong(Event::atMicros));
    for (Event e : mine) {
      String kind =
          e.key().equals("SAID") || e.key().equals("CLEAR") || e.key().equals("FRAME")
              ? e.key()
              : e.kind() + " " + e.key() + " " + e.ref();
      out.append("%12.3f %s %s%n".formatted(e.atMicros() / 1000.0, kind, e.text()));
    }
    return out.toString();
  }

  /** The Parley call id (the model request's {@code user}) of the call with this code. */
  String callId(String code) {
    // the latest: an earlier step (or the warm-up call) may have used the same code
    for (LlmRequest r : sim.llm().requests().reversed()) {
      if (r.user() != null && Scenario.normalise(lastUserMessage(r)).contains(code)) {
        return r.user();
      }
    }
    return null;
  }

  /** Everything measurable about one call; {@code record} is the server's call record or null. */
  void add(CallRun run, String callId, JsonNode record) {
    List<Scenario.Turn> script = scenario.turns(run.code());
    turnsExpected += script.size();
    bargeInsExpected += (int) script.stream().filter(Scenario.Turn::bargeIn).count();
    Frames frames = frames(run);
    if (callId != null) {
      List<LlmRequest> requests = sim.llm().requestsFor(callId);
      List<Event> requestEvents = llmRequests.getOrDefault(callId, List.of());
      for (int i = 0; i < requests.size() && i < requestEvents.size(); i++) {
        Scenario.Turn turn = scenario.turnFor(run.code(), lastUserMessage(requests.get(i)));
        long next =
            i + 1 < requestEvents.size() ? requestEvents.get(i + 1).atMicros() : Long.MAX_VALUE;
        if (turn != null) {
          turn(run, turn, requestEvents.get(i), next, frames, record);
        }
      }
    }
    for (Scenario.Turn turn : script) {
      if (turn.bargeIn()) {
        bargeIn(run, turn, script, frames);
      }
    }
    if (record != null) {
      serverTurns(run, record);
    }
  }

  private static long wallMinusSim(io.parley.sim.SimClock clock) {
    long best = Long.MAX_VALUE;
    long offset = 0;
    for (int i = 0; i < 20; i++) {
      long before = clock.nowMicros();
      Instant wall = Instant.now();
      long after = clock.nowMicros();
      if (after - before < best) {
        best = after - before;
        offset = wall.getEpochSecond() * 1_000_000 + wall.getNano() / 1000 - (before + after) / 2;
      }
    }
    return offset;
  }

  /**
   * Splits the STT final → LLM request hop at the server's own timestamps of that turn (taken when
   * the call loop saw the final and when it handed the request to the model client): how long the
   * final took to reach the call loop, the loop's own work, and the model client plus the network
   * to the model. Both processes read the same host clock.
   */
  private void splitAtServer(JsonNode record, Event fin, Event request) {
    if (record == null) {
      return;
    }
    JsonNode match = null;
    long matchRequest = 0;
    for (JsonNode t : record.path("turns")) {
      if (!present(t, "sttFinal") || !present(t, "llmRequest")) {
        continue;
      }
      long serverRequest = simMicros(t.path("llmRequest").asString());
      if (serverRequest <= request.atMicros() && (match == null || serverRequest > matchRequest)) {
        match = t;
        matchRequest = serverRequest;
      }
    }
    if (match == null) {
      return;
    }
    long serverFinal = simMicros(match.path("sttFinal").asString());
    sttFinalToServer.add((serverFinal - fin.atMicros()) / 1000.0);
    insideServer.add((matchRequest - serverFinal) / 1000.0);
    serverToLlm.add((request.atMicros() - matchRequest) / 1000.0);
  }

  private long simMicros(String instant) {
    Instant i = Instant.parse(instant);
    return i.getEpochSecond() * 1_000_000 + i.getNano() / 1000 - wallMinusSimMicros;
  }

  private void turn(
      CallRun run, Scenario.Turn turn, Event request, long next, Frames frames, JsonNode record) {
    String sid = run.handle().sid();
    CallMedia.Said said = said(run, turn);
    long spokeAt = said == null ? 0 : said.atMillis() * 1000;
    // the first message that ends the caller's turn: speech_final, or UtteranceEnd without one
    Event fin = null;
    for (Event e : stt.getOrDefault(sid, List.of())) {
      if (e.atMicros() > request.atMicros()) {
        break;
      }
      if (e.atMicros() >= spokeAt
          && (e.text().startsWith("speech_final:") || e.text().equals("UtteranceEnd"))) {
        fin = e;
        break;
      }
    }
    Event chunk = null;
    for (Event e : ttsTexts) {
      if (e.atMicros() >= request.atMicros()
          && collapse(turn.reply()).startsWith(collapse(e.text()))
          && Scenario.normalise(e.text()).contains(run.code())) {
        chunk = e;
        break;
      }
    }
    if (fin == null || chunk == null) {
      return;
    }
    Event completing = null;
    StringBuilder sofar = new StringBuilder();
    for (Event t : tokens.getOrDefault(request.ref(), List.of())) {
      sofar.append(t.text());
      if (collapse(sofar.toString()).startsWith(collapse(chunk.text()))) {
        completing = t;
        break;
      }
    }
    Event firstAudio = firstAudioBySocket.get(chunk.key());
    if (completing == null || firstAudio == null) {
      return;
    }
    int first = firstFrameOf(frames, firstAudio.ref(), firstAudio.atMicros());
    if (first < 0) {
      return;
    }
    long heardAt = frames.at(first);
    double hop1 = (request.atMicros() - fin.atMicros()) / 1000.0;
    double hop2 = (chunk.atMicros() - completing.atMicros()) / 1000.0;
    double hop3 = (heardAt - firstAudio.atMicros()) / 1000.0;
    sttToLlm.add(hop1);
    splitAtServer(record, fin, request);
    tokenToTts.add(hop2);
    ttsToCaller.add(hop3);
    added.add(hop1 + hop2 + hop3);
    turnsMeasured++;
    if (said != null) {
      long spokenEnd = said.atMillis() * 1000 + said.utterance().audio().length * 125L;
      voiceToVoice.add((heardAt - spokenEnd) / 1000.0);
    }
    smoothness(first, Math.min(next, frames.clearAfter(frames.at(first))), frames);
  }

  private Frames frames(CallRun run) {
    List<CallMedia.Received> received = inFrames(run.handle().received());
    return new Frames(
        received,
        run.handle().media().clearsMicros(),
        audio.identify(received.stream().map(CallMedia.Received::payload).toList()));
  }

  /**
   * Each media message cut into its 160-byte frames, all arriving when the message did: Parley may
   * send a top-up of several frames in one message (as Twilio allows), and frames are what the
   * audio index knows and what plays back to back.
   */
  static List<CallMedia.Received> inFrames(List<CallMedia.Received> messages) {
    List<CallMedia.Received> frames = new ArrayList<>(messages.size() * 4);
    for (CallMedia.Received m : messages) {
      byte[] p = m.payload();
      if (p.length <= FRAME_BYTES) {
        frames.add(m);
        continue;
      }
      for (int at = 0; at < p.length; at += FRAME_BYTES) {
        frames.add(
            new CallMedia.Received(
                m.atMillis(),
                Arrays.copyOfRange(p, at, Math.min(p.length, at + FRAME_BYTES)),
                m.atMicros()));
      }
    }
    return frames;
  }

  /** The first frame at or after {@code fromMicros} that is the emission's first block, or -1. */
  private int firstFrameOf(Frames frames, long emissionId, long fromMicros) {
    for (int i = 0; i < frames.size(); i++) {
      if (frames.at(i) < fromMicros) {
        continue;
      }
      AudioIndex.Block b = frames.block(i);
      if (b != null && b.emission().id() == emissionId && b.offset() == 0) {
        return i;
      }
      if (frames.at(i) > fromMicros + 10_000_000) {
        return -1;
      }
    }
    return -1;
  }

  /**
   * Gaps and jitter of one reply: its frames are those from its first frame until the next model
   * request of the call or a clear. A gap (the caller's playout running dry for more than 40 ms) is
   * Parley's if the TTS simulator had sent all of the next frame's emission before the gap began,
   * else the reply was starved upstream.
   */
  private void smoothness(int first, long until, Frames frames) {
    replies++;
    boolean parleyGap = false;
    int inRun = 0;
    int last = -1;
    // The first frame of the delivery being read.
    int message = first;
    for (int i = first; i < frames.size() && frames.at(i) < until; i++) {
      if (last >= 0) {
        long gap = frames.playStart(i) - frames.playEnd(last);
        if (gap > GAP_MICROS) {
          Event made = madeBy(frames, i, until);
          if (made != null && made.atMicros() <= frames.playEnd(last)) {
            parleyGaps++;
            parleyGap = true;
            parleyGapMs.add(gap / 1000.0);
          } else {
            starvedGaps++;
          }
        }
        // A delivery: what arrived together (a top-up may be two messages around its mark).
        if (frames.at(i) - frames.at(last) > DELIVERY_MICROS) {
          // Jitter against the audio's own clock: how much later a message came than the audio
          // before it lasts (20 ms for a frame, 80 ms for a top-up of four). Coming earlier is the
          // lead the sender keeps at Twilio, not jitter.
          if (gap > 1000) {
            inRun = 0;
          } else if (inRun >= LEAD_FRAMES) {
            long lasts = (i - message) * FRAME_MICROS;
            jitter.add(Math.max(0, frames.at(i) - frames.at(message) - lasts) / 1000.0);
          }
          message = i;
        }
      }
      inRun++;
      last = i;
    }
    if (parleyGap) {
      repliesWithParleyGap++;
    }
  }

  /** When the TTS sim finished sending the emission frame i (or the next known frame) is from. */
  private Event madeBy(Frames frames, int i, long until) {
    for (int j = i; j < frames.size() && frames.at(j) < until; j++) {
      AudioIndex.Block b = frames.block(j);
      if (b != null) {
        return lastAudioByEmission.get(b.emission().id());
      }
    }
    return null;
  }

  private void bargeIn(CallRun run, Scenario.Turn turn, List<Scenario.Turn> script, Frames f) {
    CallMedia.Said said = said(run, turn);
    if (said == null) {
      return;
    }
    long from = said.atMillis() * 1000;
    Event rule = null;
    Event started = null;
    for (Event e : stt.getOrDefault(run.handle().sid(), List.of())) {
      if (e.atMicros() < from) {
        continue;
      }
      boolean words = e.text().contains(":") && !e.text().endsWith(":");
      if (rule == null && (e.text().equals("SpeechStarted") || words)) {
        rule = e;
      }
      if (started == null && e.text().equals("SpeechStarted")) {
        started = e;
      }
    }
    Long clear = null;
    for (long c : run.handle().media().clearsMicros()) {
      if (rule != null && c >= rule.atMicros() - 1000) {
        clear = c;
        break;
      }
    }
    if (rule == null || clear == null) {
      return;
    }
    bargeInsCleared++;
    double reaction = (clear - rule.atMicros()) / 1000.0;
    bargeInReaction.add(reaction);
    reactionByMode.computeIfAbsent(run.mode(), k -> new ArrayList<>()).add(reaction);
    if (started != null) {
      long lastFrame = -1;
      long lastPlayed = started.atMicros();
      for (int i = 0; i < f.size() && f.at(i) <= clear; i++) {
        lastFrame = f.at(i);
        // on the caller's playout clock: a frame plays until its end, or until the clear
        lastPlayed = Math.max(lastPlayed, Math.min(f.playEnd(i), clear));
      }
      speechStartedToPaused.add(Math.max(0, lastFrame - started.atMicros()) / 1000.0);
      audibleStopByMode
          .computeIfAbsent(run.mode(), k -> new ArrayList<>())
          .add((lastPlayed - started.atMicros()) / 1000.0);
    }
    // the reply the barge-in cut: the turn before it in the script
    int at = script.indexOf(turn);
    String cut = Scenario.normalise(script.get(at - 1).reply());
    for (int i = 0; i < f.size(); i++) {
      if (f.at(i) <= clear) {
        continue;
      }
      AudioIndex.Block b = f.block(i);
      if (b != null && cut.contains(Scenario.normalise(b.emission().text()))) {
        framesAfterClear++;
      }
    }
  }

  private void serverTurns(CallRun run, JsonNode record) {
    for (JsonNode t : record.path("turns")) {
      boolean answered = present(t, "callerSpeechEnd");
      List<String> needed =
          answered ? STAGES : List.of("firstSpeakableChunk", "firstTtsAudio", "firstFrameSent");
      List<String> missing = needed.stream().filter(s -> !present(t, s)).toList();
      if (!missing.isEmpty()) {
        turnsMissingStages++;
        missingStages.add(run.handle().sid() + " turn " + t.path("turn").asInt() + ": " + missing);
        continue;
      }
      if (!answered) {
        continue;
      }
      if (t.path("voiceToVoiceMs").isNumber()) {
        serverVoiceToVoice.add(t.path("voiceToVoiceMs").asDouble());
      }
      for (int i = 1; i < STAGES.size(); i++) {
        String name = STAGES.get(i - 1) + "->" + STAGES.get(i);
        double ms =
            Duration.between(
                        Instant.parse(t.path(STAGES.get(i - 1)).asString()),
                        Instant.parse(t.path(STAGES.get(i)).asString()))
                    .toNanos()
                / 1e6;
        serverStages.computeIfAbsent(name, k -> new ArrayList<>()).add(ms);
      }
    }
  }

  private static boolean present(JsonNode turn, String stage) {
    return turn.path(stage).isString() && !turn.path(stage).asString().isEmpty();
  }

  private static CallMedia.Said said(CallRun run, Scenario.Turn turn) {
    for (CallMedia.Said s : run.handle().said()) {
      if (Scenario.normalise(s.utterance().text()).equals(Scenario.normalise(turn.said()))) {
        return s;
      }
    }
    return null;
  }

  static String lastUserMessage(LlmRequest r) {
    String last = "";
    for (JsonNode m : r.body().path("messages")) {
      if (m.path("role").asString("").equals("user")) {
        JsonNode c = m.path("content");
        last = c.isString() ? c.asString() : c.toString();
      }
    }
    return last;
  }

  private static String collapse(String s) {
    return s.replaceAll("\\s+", " ").strip();
  }

  /** The caller's received frames with the times they would play, as the caller plays them. */
  static final class Frames {
    private final List<CallMedia.Received> received;
    private final long[] playStart;
    private final long[] playEnd;
    private final List<Long> clears;
    private final AudioIndex.Block[] blocks;

    Frames(List<CallMedia.Received> received, List<Long> clears, AudioIndex.Block[] blocks) {
      this.blocks = blocks;
      this.received = received;
      this.clears = clears;
      playStart = new long[received.size()];
      playEnd = new long[received.size()];
      long end = 0;
      int c = 0;
      for (int i = 0; i < received.size(); i++) {
        long at = received.get(i).atMicros();
        while (c < clears.size() && clears.get(c) <= at) {
          end = Math.min(end, clears.get(c++));
        }
        playStart[i] = Math.max(at, end);
        end = playStart[i] + received.get(i).payload().length * 125L;
        playEnd[i] = end;
      }
    }

    int size() {
      return received.size();
    }

    long at(int i) {
      return received.get(i).atMicros();
    }

    /** Which emission block frame i is, or null. */
    AudioIndex.Block block(int i) {
      return blocks[i];
    }

    long playStart(int i) {
      return playStart[i];
    }

    long playEnd(int i) {
      return playEnd[i];
    }

    /** The first clear after {@code micros}, or MAX_VALUE. */
    long clearAfter(long micros) {
      for (long c : clears) {
        if (c > micros) {
          return c;
        }
      }
      return Long.MAX_VALUE;
    }
  }
}
