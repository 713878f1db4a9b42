package io.parley.bench;

import io.parley.sim.http.HttpConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The JSON result (shape in docs/benchmarks.md), the short table, and the smoke run's checks. */
final class Report {
  static final String NOTE =
      "Absolute times vary between runs and machines; compare versions only as ratios of figures"
          + " taken in the same run on the same machine. A step is valid only while the"
          + " simulators' own send lateness p99 is at most 5 ms.";

  private Report() {}

  static ObjectNode result(
      BenchOptions options, List<StepResult> steps, ColdStart coldStart, Capacity capacity) {
    ObjectNode o = ParleyApi.JSON.createObjectNode();
    o.put("schema", "parley-bench/load/2");
    o.put("at", Instant.now().toString());
    o.put("note", NOTE);
    ObjectNode machine = o.putObject("machine");
    machine.put("cores", Runtime.getRuntime().availableProcessors());
    machine.put("memoryBytes", memoryBytes());
    machine.put("jdk", System.getProperty("java.vm.name") + " " + Runtime.version());
    machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
    ObjectNode config = o.putObject("config");
    config.put("smoke", options.smoke());
    config.put("sttFinalAfterEndpointMs", options.sttLatency().toMillis());
    config.put("llmFirstTokenMs", options.llmFirstToken().toMillis());
    config.put("llmTokensPerSecond", options.llmTokensPerSecond());
    config.put("ttsFirstAudioMs", options.ttsFirstAudio().toMillis());
    config.put("turnsPerCall", new Scenario(options.smoke()).turns("x y").size());
    config.put("bargeInsPerCall", 1);
    config.put("bargeInIntoReplyMs", 1500);
    config.put("longPauseBeforeSecondTurnMs", Scenario.LONG_PAUSE_MS);
    config.put("providerKeepAliveMs", HttpConfig.NODE_KEEP_ALIVE.toMillis());
    config.put("staggerMs", options.staggerMs());
    config.put("warmUpCalls", options.warmUpCalls());
    config.put("serverNice", options.serverNice());
    config.put("coldCalls", options.coldCalls());
    config.put("loopNice", options.loopNice());
    config.put("findCapacity", options.findCapacity());
    config.put("maxSimSendLatenessP99Ms", StepResult.MAX_SIM_LATENESS_MS);
    ArrayNode out = o.putArray("steps");
    steps.forEach(s -> out.add(s.json()));
    if (coldStart != null) {
      o.set("coldStart", coldStart.json());
    } else {
      o.putNull("coldStart");
    }
    if (capacity != null) {
      o.set("capacity", capacity.json());
    } else {
      o.putNull("capacity");
    }
    return o;
  }

  /** The chart is written beside the JSON result: {@code bench-result.json} → {@code .svg}. */
  static Path chartPath(Path out) {
    String name = out.getFileName().toString();
    String base = name.endsWith(".json") ? name.substring(0, name.length() - 5) : name;
    return out.resolveSibling(base + ".svg");
  }

  static String coldStartLine(ColdStart c) {
    return "cold start: health up after %.1f s (%.1f CPU-s), first call at %.1f s; %d calls: added p50 %s p99 %s ms, server JIT %.1f CPU-s during the step"
        .formatted(
            c.upAfterSeconds(),
            c.cpuAtUpSeconds(),
            c.firstCallAfterSeconds(),
            c.step().calls,
            f(c.step().added().p50()),
            f(c.step().added().p99()),
            c.step().cost.step().jitCpuSeconds());
  }

  static String row(StepResult s) {
    return "%5s %5d %6d | %6s %6s %6s | %6s %6s %6s | %7s %6s | %6s %7s | %6s %6s | %4d %6s %6s | %6s %6s %6s %5s | %6s %7s %7s | %6s %s | %6s"
        .formatted(
            (s.cold ? "c" : "") + s.calls,
            s.completed,
            s.m.turnsMeasured,
            f(s.added().p50()),
            f(s.added().p95()),
            f(s.added().p99()),
            f(Stats.of(s.m.sttToLlm).p99()),
            f(Stats.of(s.m.tokenToTts).p99()),
            f(Stats.of(s.m.ttsToCaller).p99()),
            f(Stats.of(s.m.voiceToVoice).p50()),
            f(Stats.of(s.m.voiceToVoice).p99()),
            f(s.bargeIn().p50()),
            f(s.bargeIn().p99()),
            f(s.audibleStop(BargeInMode.IMMEDIATE).p99()),
            f(s.audibleStop(BargeInMode.DEFAULT).p99()),
            s.m.framesAfterClear,
            pct(s.smoothReplies()),
            f(s.jitter().p99()),
            f2(s.netCpuPerCallMinute()),
            f2(s.instrumentCpuPerCallMinute()),
            "%.0f".formatted(s.cost.contextSwitchesPerSecond()),
            f(s.cost.step().gcCpuSeconds()),
            kb(s.heapPerCallBytes),
            String.valueOf(s.rssBytes / (1024 * 1024)),
            f(s.cost.step().jitCpuSeconds()),
            f(s.simLateness.p99()),
            s.valid() ? "valid" : "INSTRUMENT-BOUND",
            f2(s.othersCores));
  }

  static String table(List<StepResult> steps, StepResult cold) {
    StringBuilder t = new StringBuilder();
    t.append(
        "calls  done  turns |  added p50    p95    p99 | hops p99: stt>llm tok>tts tts>caller"
            + " | v2v p50   p99 | barge p50    p99 | stop99 imm  dflt | clr  smooth jit99"
            + " | cpu/cm inst/cm   cs/s  gc s | heapKB/c  rssMB  jit s"
            + " | late99 | others\n");
    if (cold != null) {
      t.append(row(cold)).append('\n');
    }
    for (StepResult s : steps) {
      t.append(row(s)).append('\n');
    }
    t.append(
            "(ms unless noted; c = calls in the server's first minute, before any warm-up;"
                + " cpu/cm = server CPU s per call-minute less its idle rate; inst/cm = the"
                + " instrument's (simulators and callers) CPU s per call-minute; cs/s = server"
                + " context switches per second; gc s / jit s = server CPU s in GC / JIT threads;"
                + " others = cores other processes on the machine used during the step; ")
        .append(NOTE)
        .append(")");
    return t.toString();
  }

  /** What the CI smoke run asserts: completion, stage timestamps, no cut audio, JSON shape. */
  /**
   * What must hold at any load: every call completed, nothing of a cancelled reply heard, no
   * request on a stale connection, no retried model request. (Whether every turn was measured end
   * to end depends on timing under load, so only the smoke run asserts it.)
   */
  static List<String> loadProblems(StepResult step) {
    List<String> problems = new ArrayList<>();
    if (step.completed != step.placed) {
      problems.add(step.completed + " of " + step.placed + " calls completed");
    }
    if (step.m.framesAfterClear != 0) {
      problems.add(step.m.framesAfterClear + " frames of a cancelled reply heard after clear");
    }
    if (step.connections.requestsOnClosedConnections() != 0) {
      problems.add(
          step.connections.requestsOnClosedConnections()
              + " requests were written on connections a provider had closed");
    }
    if (step.connections.llmRetries() != 0) {
      problems.add(step.connections.llmRetries() + " model requests were retried");
    }
    return problems;
  }

  static List<String> smokeProblems(JsonNode result, StepResult step) {
    List<String> problems = new ArrayList<>(loadProblems(step));
    if (step.m.turnsMissingStages > 0) {
      problems.add("turns without all stage timestamps: " + step.m.missingStages);
    }
    if (step.m.turnsMeasured != step.m.turnsExpected) {
      problems.add(
          "measured " + step.m.turnsMeasured + " of " + step.m.turnsExpected + " turns end to end");
    }
    if (step.m.bargeInsCleared != step.m.bargeInsExpected) {
      problems.add(
          step.m.bargeInsCleared + " of " + step.m.bargeInsExpected + " barge-ins cleared");
    }
    problems.addAll(shapeProblems(result));
    return problems;
  }

  /** Fields docs/benchmarks.md promises, with their JSON types. */
  static List<String> shapeProblems(JsonNode result) {
    List<String> problems = new ArrayList<>();
    for (String p : List.of("/machine/cores", "/machine/memoryBytes", "/config/llmFirstTokenMs")) {
      if (!result.at(p).isNumber()) {
        problems.add("result lacks number " + p);
      }
    }
    for (String p : List.of("/schema", "/note", "/machine/jdk")) {
      if (!result.at(p).isString()) {
        problems.add("result lacks text " + p);
      }
    }
    if (!result.path("steps").isArray() || result.path("steps").isEmpty()) {
      problems.add("result has no steps");
      return problems;
    }
    JsonNode s = result.path("steps").get(0);
    for (String p :
        List.of(
            "/calls",
            "/placed",
            "/completed",
            "/turns",
            "/bargeIn/framesAfterClear",
            "/gaps/parleyCaused",
            "/gaps/starved",
            "/cost/serverRssBytes",
            "/connections/requestsOnClosedConnections",
            "/connections/llmRetries")) {
      if (!s.at(p).isNumber()) {
        problems.add("step lacks number " + p);
      }
    }
    for (String p :
        List.of(
            "/addedLatencyMs",
            "/addedLatencyMs/parts/sttFinalToLlmRequest",
            "/addedLatencyMs/parts/chunkTokenToTtsText",
            "/addedLatencyMs/parts/ttsFirstAudioToCaller",
            "/addedLatencyMs/sttFinalToLlmRequestSplit/toCallLoop",
            "/addedLatencyMs/sttFinalToLlmRequestSplit/inCallLoop",
            "/addedLatencyMs/sttFinalToLlmRequestSplit/modelClientToLlm",
            "/voiceToVoiceMs",
            "/serverStagesMs/voiceToVoice",
            "/bargeIn/reactionMs",
            "/bargeIn/speechStartedToPausedMs",
            "/bargeIn/byMode/immediate/audibleStopMs",
            "/bargeIn/byMode/default/audibleStopMs",
            "/jitterMs",
            "/simSendLatenessMs")) {
      JsonNode stats = s.at(p);
      for (String f : List.of("count", "p50", "p95", "p99", "max")) {
        if (!stats.has(f)) {
          problems.add("step lacks " + p + "/" + f);
        }
      }
    }
    for (String p :
        List.of(
            "/cost/serverCpuSecondsPerCallMinute",
            "/cost/serverNetCpuSecondsPerCallMinute",
            "/cost/serverContextSwitchesPerSecond",
            "/cost/serverGcCpuSeconds",
            "/cost/heapPerCallBytes",
            "/cost/simCpuSeconds",
            "/instrument/cpuSeconds",
            "/instrument/cpuSecondsPerCallMinute")) {
      if (!s.at(p).isNumber() && !s.at(p).isNull()) {
        problems.add("step lacks " + p);
      }
    }
    if (!s.path("valid").isBoolean() || !s.path("targets").isObject()) {
      problems.add("step lacks valid/targets");
    }
    return problems;
  }

  private static long memoryBytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemTotal:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException e) {
      // not Linux
    }
    return -1;
  }

  private static String f(double v) {
    return Double.isNaN(v) ? "-" : "%.1f".formatted(v);
  }

  private static String f2(double v) {
    return Double.isNaN(v) ? "-" : "%.2f".formatted(v);
  }

  private static String pct(double v) {
    return Double.isNaN(v) ? "-" : "%.1f%%".formatted(v * 100);
  }

  private static String kb(double bytes) {
    return Double.isNaN(bytes) ? "-" : "%.0f".formatted(bytes / 1024);
  }
}
