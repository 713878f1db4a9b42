package io.parley.bench;

import java.util.List;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One step (N concurrent calls) as it goes into the JSON result, and its verdict against the
 * issue's targets.
 */
final class StepResult {
  /**
   * Sim send lateness p99 above which the instrument, not Parley, may be what is measured: a sixth
   * of the 30 ms added-latency target.
   */
  static final double MAX_SIM_LATENESS_MS = 5.0;

  /** Added latency p99 above which a step fails the capacity search (--find-capacity). */
  static final double CAPACITY_MAX_ADDED_P99_MS = 30.0;

  /** Concurrent calls. */
  final int calls;

  /** Calls placed: as many, or one per barge-in mode one after the other at a single call. */
  final int placed;

  final int completed;
  final Measurements m;
  final double serverCpuSeconds;
  final double callMinutes;
  final double simCpuSeconds;
  final double heapPerCallBytes;
  final long rssBytes;
  final Stats simLateness;
  final ConnectionCounts connections;
  final ServerCost cost;
  final ProcSample instrument;

  /** Cores other processes on the machine used during the step (0 on a machine of its own). */
  final double othersCores;

  /** True for the step placed in the server's first minute, before any warm-up. */
  final boolean cold;

  StepResult(
      int calls,
      int placed,
      int completed,
      Measurements m,
      double serverCpuSeconds,
      double callMinutes,
      double simCpuSeconds,
      double heapPerCallBytes,
      long rssBytes,
      Stats simLateness,
      ConnectionCounts connections,
      ServerCost cost,
      ProcSample instrument,
      double othersCores,
      boolean cold) {
    this.calls = calls;
    this.placed = placed;
    this.completed = completed;
    this.m = m;
    this.serverCpuSeconds = serverCpuSeconds;
    this.callMinutes = callMinutes;
    this.simCpuSeconds = simCpuSeconds;
    this.heapPerCallBytes = heapPerCallBytes;
    this.rssBytes = rssBytes;
    this.simLateness = simLateness;
    this.connections = connections;
    this.cost = cost;
    this.instrument = instrument;
    this.othersCores = othersCores;
    this.cold = cold;
  }

  boolean valid() {
    return simLateness.count() > 0 && simLateness.p99() <= MAX_SIM_LATENESS_MS;
  }

  /** Server CPU seconds per call-minute, less its idle rate. */
  double netCpuPerCallMinute() {
    return cost.netCpuPerCallMinute(callMinutes);
  }

  /** The instrument's (this JVM's: simulators and callers) CPU seconds per call-minute. */
  double instrumentCpuPerCallMinute() {
    return callMinutes > 0 ? instrument.cpuSeconds() / callMinutes : Double.NaN;
  }

  /** Every call completed and added latency p99 stayed within the capacity search's limit. */
  boolean holdsCalls() {
    return completed == placed && added().count() > 0 && added().p99() <= CAPACITY_MAX_ADDED_P99_MS;
  }

  Stats added() {
    return Stats.of(m.added);
  }

  Stats bargeIn() {
    return Stats.of(m.bargeInReaction);
  }

  /** SpeechStarted sent → the last moment of the old reply at the caller, in one mode. */
  Stats audibleStop(BargeInMode mode) {
    return Stats.of(m.audibleStopByMode.getOrDefault(mode, List.of()));
  }

  Stats jitter() {
    return Stats.of(m.jitter);
  }

  double smoothReplies() {
    return m.replies == 0 ? Double.NaN : 1.0 - (double) m.repliesWithParleyGap / m.replies;
  }

  ObjectNode targets() {
    ObjectNode t = ParleyApi.JSON.createObjectNode();
    t.put("addedLatencyP99Max10ms", added().p99() <= 10);
    t.put("bargeInP99Max20ms", bargeIn().p99() <= 20);
    t.put("noFramesAfterClear", m.framesAfterClear == 0);
    for (BargeInMode mode : BargeInMode.values()) {
      t.put("audibleStopP99Max60ms_" + mode.label, audibleStop(mode).p99() <= 60);
    }
    t.put("smoothReplies999", smoothReplies() >= 0.999);
    t.put("jitterP99Max5ms", jitter().p99() <= 5);
    t.put("heapPerCallMax1MB", heapPerCallBytes <= 1024 * 1024);
    return t;
  }

  boolean allTargetsMet() {
    ObjectNode t = targets();
    for (String field : t.propertyNames()) {
      if (!t.path(field).asBoolean()) {
        return false;
      }
    }
    return true;
  }

  ObjectNode json() {
    ObjectNode o = ParleyApi.JSON.createObjectNode();
    o.put("calls", calls).put("placed", placed).put("completed", completed);
    o.put("cold", cold);
    o.put("turns", m.turnsExpected).put("turnsMeasured", m.turnsMeasured);
    o.put("turnsMissingStageTimestamps", m.turnsMissingStages);
    ArrayNode missing = o.putArray("missingStageTimestamps");
    m.missingStages.stream().limit(20).forEach(missing::add);
    ObjectNode added = o.putObject("addedLatencyMs");
    added.setAll(added().json());
    ObjectNode parts = added.putObject("parts");
    parts.set("sttFinalToLlmRequest", Stats.of(m.sttToLlm).json());
    parts.set("chunkTokenToTtsText", Stats.of(m.tokenToTts).json());
    parts.set("ttsFirstAudioToCaller", Stats.of(m.ttsToCaller).json());
    ObjectNode split = added.putObject("sttFinalToLlmRequestSplit");
    split.set("toCallLoop", Stats.of(m.sttFinalToServer).json());
    split.set("inCallLoop", Stats.of(m.insideServer).json());
    split.set("modelClientToLlm", Stats.of(m.serverToLlm).json());
    o.set("voiceToVoiceMs", Stats.of(m.voiceToVoice).json());
    ObjectNode server = o.putObject("serverStagesMs");
    server.set("voiceToVoice", Stats.of(m.serverVoiceToVoice).json());
    for (int i = 1; i < Measurements.STAGES.size(); i++) {
      String name = Measurements.STAGES.get(i - 1) + "->" + Measurements.STAGES.get(i);
      server.set(name, Stats.of(m.serverStages.getOrDefault(name, List.of())).json());
    }
    ObjectNode barge = o.putObject("bargeIn");
    barge.put("expected", m.bargeInsExpected).put("cleared", m.bargeInsCleared);
    barge.set("reactionMs", bargeIn().json());
    barge.set("speechStartedToPausedMs", Stats.of(m.speechStartedToPaused).json());
    ObjectNode byMode = barge.putObject("byMode");
    for (BargeInMode mode : BargeInMode.values()) {
      ObjectNode one = byMode.putObject(mode.label);
      one.put("minWords", mode.minWords).put("minSpeechMs", mode.minSpeechMs);
      one.set("reactionMs", Stats.of(m.reactionByMode.getOrDefault(mode, List.of())).json());
      one.set("audibleStopMs", audibleStop(mode).json());
    }
    barge.put("framesAfterClear", m.framesAfterClear);
    ObjectNode gaps = o.putObject("gaps");
    gaps.put("replies", m.replies);
    gaps.put("repliesWithParleyGap", m.repliesWithParleyGap);
    Stats.put(gaps, "repliesFreeOfParleyGaps", smoothReplies());
    gaps.put("parleyCaused", m.parleyGaps).put("starved", m.starvedGaps);
    gaps.set("parleyGapMs", Stats.of(m.parleyGapMs).json());
    o.set("jitterMs", jitter().json());
    ObjectNode cost = o.putObject("cost");
    Stats.put(cost, "serverCpuSeconds", serverCpuSeconds);
    Stats.put(cost, "callMinutes", callMinutes);
    Stats.put(
        cost,
        "serverCpuSecondsPerCallMinute",
        callMinutes > 0 ? serverCpuSeconds / callMinutes : Double.NaN);
    Stats.put(cost, "heapPerCallBytes", heapPerCallBytes);
    cost.put("serverRssBytes", rssBytes);
    Stats.put(cost, "simCpuSeconds", simCpuSeconds);
    this.cost.putInto(cost, callMinutes);
    ObjectNode instrumentCost = o.putObject("instrument");
    Stats.put(instrumentCost, "cpuSeconds", instrument.cpuSeconds());
    Stats.put(instrumentCost, "cpuSecondsPerCallMinute", instrumentCpuPerCallMinute());
    Stats.put(
        instrumentCost,
        "cores",
        instrument.seconds() > 0 ? instrument.cpuSeconds() / instrument.seconds() : Double.NaN);
    Stats.put(
        instrumentCost,
        "contextSwitchesPerSecond",
        instrument.seconds() > 0
            ? instrument.contextSwitches() / instrument.seconds()
            : Double.NaN);
    Stats.put(instrumentCost, "gcCpuSeconds", instrument.gcCpuSeconds());
    Stats.put(o, "otherProcessesCores", othersCores);
    o.set("connections", connections.json());
    o.set("simSendLatenessMs", simLateness.json());
    o.put("valid", valid());
    o.set("targets", targets());
    return o;
  }
}
