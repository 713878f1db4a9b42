package io.parley.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The command line: which loads to run, the simulated providers' latencies, where to write the
 * result.
 *
 * @param calls concurrent calls per step, in order
 * @param untilBroken after the listed steps, keep doubling until a target is missed
 * @param smoke the CI run: 5 calls, a short script, assertions instead of targets
 * @param sttLatency Deepgram: final (and every message) this long after the audio that caused it
 * @param llmFirstToken the model's time to first token
 * @param llmTokensPerSecond the model's streaming rate
 * @param ttsFirstAudio ElevenLabs: first audio this long after the text
 * @param maxCalls the highest step {@code untilBroken} tries
 * @param staggerMs the calls of a step start spread evenly over this time
 * @param warmUpCalls concurrent calls placed (and not measured) before the first step
 * @param serverNice the server's niceness (0: as the bench's); above 0 the simulators win the CPU
 *     when both need it, which can only make Parley's figures worse, never better
 * @param findCapacity run the capacity ladder (25, 50, 75, 100, 150, 200) instead of {@code calls}
 *     and stop at the first step that does not hold its calls
 * @param coldCalls calls placed in the first minute of a second, fresh server (0: none)
 * @param loopNice the niceness of the instrument's event loop threads (0: the bench's own)
 * @param check assert that every step completed all its calls, played nothing of a cancelled reply
 *     after clear, met no stale connection and had a valid instrument; exit 1 otherwise (CI's
 *     100-call run)
 * @param serverJavaOptions options added last to the server's {@code java} command (experiments: a
 *     JIT or collector setting measured against the default)
 */
record BenchOptions(
    List<Integer> calls,
    boolean untilBroken,
    boolean smoke,
    Duration sttLatency,
    Duration llmFirstToken,
    double llmTokensPerSecond,
    Duration ttsFirstAudio,
    Path serverJar,
    Path out,
    boolean jfr,
    int maxCalls,
    long staggerMs,
    int warmUpCalls,
    int serverNice,
    boolean findCapacity,
    int coldCalls,
    int loopNice,
    boolean check,
    List<String> serverJavaOptions) {

  static final String USAGE =
      """
      java -jar parley-bench/target/parley-bench.jar [options]
        --calls 1,50,200        concurrent calls per step (default 1,50,200)
        --until-broken          then keep doubling the calls until a target is missed
        --max-calls 800         the highest step --until-broken tries
        --smoke                 CI: 5 calls, short script; asserts completion, stage timestamps,
                                no cancelled audio after clear and the JSON shape; exit 1 if not
        --stt-latency-ms 150    Deepgram final after the endpoint
        --llm-first-token-ms 300
        --llm-tokens-per-second 40
        --tts-first-audio-ms 150
        --server-jar parley-server/target/parley-server.jar
        --out parley-bench/target/bench-result.json
        --stagger-ms 2000       a step's calls start spread over this time
        --warm-up-calls 10      calls placed together before the steps, not measured (0: none)
        --server-nice 0         run the server at this niceness (0: as the bench; 1-19: the
                                simulators come first when both need the CPU)
        --find-capacity         instead of --calls: 25, 50, 75, 100, 150, 200 calls until added
                                latency p99 > 30 ms or a call fails; reports the last good step
        --cold-calls 25         calls placed in the first minute of a second, freshly started
                                server after the warm steps, reported apart (0: none)
        --loop-nice -10         niceness of the simulators' event loop threads (0: as the bench;
                                needs root or CAP_SYS_NICE to go below 0)
        --check                 exit 1 unless every step completed every call, played nothing
                                after clear and met no stale connection; exit 3 when that held
                                but a step was not valid (the instrument was late: measure again)
        --server-java-options "-XX:TieredStopAtLevel=1"
                                added last to the server's java command (experiments)
        --jfr                   record the server with Java Flight Recorder (target/bench-server.jfr)
      """;

  static BenchOptions parse(String[] args) {
    List<Integer> calls = List.of(1, 50, 200);
    boolean untilBroken = false;
    boolean smoke = false;
    long stt = 150;
    long ttft = 300;
    double tps = 40;
    long tts = 150;
    Path jar = Path.of("parley-server/target/parley-server.jar");
    Path out = Path.of("parley-bench/target/bench-result.json");
    boolean jfr = false;
    int maxCalls = 800;
    long stagger = 2000;
    int warmUp = 10;
    // The server at the bench's own niceness: the instrument's timing (its callers' and Deepgram's
    // loops) is kept by running those loops at --loop-nice -10, ahead of the server's media loops
    // (which raise themselves 5 steps, to -5). Running the whole server at 10 as before starved its
    // model client and webhooks behind the simulators' Jetty threads: a cost of the bench, not of
    // Parley (issue 13 run C in docs/benchmarks.md).
    int nice = 0;
    boolean findCapacity = false;
    int cold = 25;
    int loopNice = -10;
    boolean check = false;
    List<String> serverJavaOptions = List.of();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--calls" -> calls = parseList(value(args, ++i, a));
        case "--until-broken" -> untilBroken = true;
        case "--max-calls" -> maxCalls = Integer.parseInt(value(args, ++i, a));
        case "--smoke" -> smoke = true;
        case "--check" -> check = true;
        case "--stt-latency-ms" -> stt = Long.parseLong(value(args, ++i, a));
        case "--llm-first-token-ms" -> ttft = Long.parseLong(value(args, ++i, a));
        case "--llm-tokens-per-second" -> tps = Double.parseDouble(value(args, ++i, a));
        case "--tts-first-audio-ms" -> tts = Long.parseLong(value(args, ++i, a));
        case "--server-jar" -> jar = Path.of(value(args, ++i, a));
        case "--out" -> out = Path.of(value(args, ++i, a));
        case "--jfr" -> jfr = true;
        case "--stagger-ms" -> stagger = Long.parseLong(value(args, ++i, a));
        case "--warm-up-calls" -> warmUp = Integer.parseInt(value(args, ++i, a));
        case "--server-nice" -> nice = Integer.parseInt(value(args, ++i, a));
        case "--find-capacity" -> findCapacity = true;
        case "--cold-calls" -> cold = Integer.parseInt(value(args, ++i, a));
        case "--loop-nice" -> loopNice = Integer.parseInt(value(args, ++i, a));
        case "--server-java-options" ->
            serverJavaOptions =
                Stream.of(value(args, ++i, a).split("\\s+")).filter(o -> !o.isEmpty()).toList();
        case "--help", "-h" -> throw new IllegalArgumentException(USAGE);
        default -> throw new IllegalArgumentException("unknown option " + a + "\n" + USAGE);
      }
    }
    if (warmUp < 0) {
      throw new IllegalArgumentException("--warm-up-calls: 0 or more\n" + USAGE);
    }
    if (nice < 0 || nice > 19) {
      throw new IllegalArgumentException("--server-nice: 0 to 19\n" + USAGE);
    }
    if (loopNice < -20 || loopNice > 19) {
      throw new IllegalArgumentException("--loop-nice: -20 to 19\n" + USAGE);
    }
    if (cold < 0) {
      throw new IllegalArgumentException("--cold-calls: 0 or more\n" + USAGE);
    }
    if (smoke) {
      calls = List.of(5);
      untilBroken = false;
      findCapacity = false;
      warmUp = 0;
      cold = 0;
    }
    if (findCapacity) {
      untilBroken = false;
    }
    return new BenchOptions(
        calls,
        untilBroken,
        smoke,
        Duration.ofMillis(stt),
        Duration.ofMillis(ttft),
        tps,
        Duration.ofMillis(tts),
        jar,
        out,
        jfr,
        maxCalls,
        stagger,
        warmUp,
        nice,
        findCapacity,
        cold,
        loopNice,
        check,
        serverJavaOptions);
  }

  int maxConcurrent() {
    int max = Math.max(warmUpCalls, calls.stream().mapToInt(Integer::intValue).max().orElse(1));
    max = Math.max(max, coldCalls);
    if (findCapacity) {
      max = Math.max(max, Capacity.LADDER.getLast());
    }
    return untilBroken ? Math.max(max, maxCalls) : max;
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length) {
      throw new IllegalArgumentException(option + " needs a value\n" + USAGE);
    }
    return args[i];
  }

  private static List<Integer> parseList(String s) {
    List<Integer> out = new ArrayList<>();
    for (String part : s.split(",")) {
      int n = Integer.parseInt(part.trim());
      if (n < 1) {
        throw new IllegalArgumentException("--calls: every step needs at least 1 call");
      }
      out.add(n);
    }
    return out;
  }
}
