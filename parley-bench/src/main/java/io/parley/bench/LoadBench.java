package io.parley.bench;

import io.parley.sim.CallHandle;
import io.parley.sim.Sim;
import io.parley.sim.SimConfig;
import io.parley.sim.deepgram.DeepgramConfig;
import io.parley.sim.elevenlabs.ElevenLabsConfig;
import io.parley.sim.llm.LlmConfig;
import io.parley.sim.twilio.TwilioConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The load benchmark: the simulators in this JVM, a real Parley server as a child process pointed
 * at them, N concurrent scripted calls per step, and what Parley adds to each call measured on the
 * simulators' clock. See docs/benchmarks.md.
 */
public final class LoadBench {

  /** What {@code --check} exits with when the calls held but a step was not valid. */
  static final int EXIT_VOID = 3;

  private final BenchOptions options;
  private final Scenario scenario;
  private final LoopPriority loops;

  private LoadBench(BenchOptions options) {
    this.options = options;
    this.scenario = new Scenario(options.smoke());
    this.loops = new LoopPriority(options.loopNice());
  }

  public static void main(String[] args) throws Exception {
    // the simulators log every socket the server closes at a call's end; only errors matter here
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "error");
    BenchOptions options;
    try {
      options = BenchOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    if (!InstrumentJvm.isPauseless()) {
      System.exit(InstrumentJvm.relaunchPauseless(LoadBench.class, args));
    }
    System.exit(new LoadBench(options).run());
  }

  private int run() throws Exception {
    Path work = options.out().toAbsolutePath().getParent();
    Files.createDirectories(work);
    SimConfig config =
        SimConfig.defaults()
            .withTwilio(
                TwilioConfig.defaults()
                    .withNumbers(
                        java.util.Arrays.stream(BargeInMode.values())
                            .map(m -> new TwilioConfig.PhoneNumber(m.agentNumber, null, null, null))
                            .toList()))
            .withDeepgram(DeepgramConfig.defaults().withLatency(options.sttLatency()))
            .withElevenLabs(ElevenLabsConfig.defaults().withFirstAudio(options.ttsFirstAudio()))
            .withLlm(
                LlmConfig.defaults()
                    .withPacing(options.llmFirstToken(), options.llmTokensPerSecond())
                    .withRules(scenario.rules(BargeInMode.values().length)));
    List<StepResult> steps = new ArrayList<>();
    StepResult cold = null;
    ColdStart coldStart = null;
    Capacity capacity = null;
    ObjectNode result;
    try (Sim sim = Sim.start(config)) {
      try (ServerProcess server = startServer(sim, "bench-server")) {
        ParleyApi api = setUp(sim, server);
        sim.timeline().record(true);
        if (options.warmUpCalls() > 0) {
          // a freshly started server still compiles its hot paths (the JIT took 18 % of its CPU
          // during a 25-call step after a single warm-up call): steps measure a warmed-up server
          log("warm-up: " + options.warmUpCalls() + " calls");
          sim.timeline().record(false);
          sim.llm().rules(scenario.rules(Math.max(options.warmUpCalls(), 2)));
          runCalls(sim, options.warmUpCalls(), options.staggerMs());
          sim.timeline().record(true);
        }
        double heapAtZero = liveHeap(server, api);
        log("heap at 0 calls: %.1f MB".formatted(heapAtZero / 1e6));
        List<Integer> plan =
            new ArrayList<>(options.findCapacity() ? Capacity.LADDER : options.calls());
        for (int i = 0; i < plan.size(); i++) {
          int n = plan.get(i);
          api.login();
          StepResult step = step(sim, server, api, n, heapAtZero, false);
          steps.add(step);
          log(Report.row(step));
          if (options.findCapacity()) {
            capacity = Capacity.of(steps);
            if (capacity.stopped()) {
              break;
            }
            continue;
          }
          boolean last = i == plan.size() - 1;
          if (last && options.untilBroken() && step.valid() && step.allTargetsMet()) {
            if (n * 2 <= options.maxCalls()) {
              plan.add(n * 2);
            }
          }
        }
      }
      if (options.coldCalls() > 0) {
        // the server's first minute, on a second server started fresh (new JVM, new database) once
        // the warm steps are done: the instrument is warm by then, only the server is cold
        long launched = System.nanoTime();
        try (ServerProcess server = startServer(sim, "bench-server-cold")) {
          double upAfter = (System.nanoTime() - launched) / 1e9;
          ProcSample atUp = server.sample();
          ParleyApi api = setUp(sim, server);
          double heapAtStart = liveHeap(server, api);
          double firstCallAfter = (System.nanoTime() - launched) / 1e9;
          cold = step(sim, server, api, options.coldCalls(), heapAtStart, true);
          coldStart = new ColdStart(upAfter, atUp.cpuSeconds(), firstCallAfter, cold);
          log(Report.row(cold));
        }
      }
      result = Report.result(options, steps, coldStart, capacity);
    }
    Files.writeString(options.out(), result.toPrettyString());
    Path chart = Report.chartPath(options.out());
    Files.writeString(chart, Chart.svg(steps, cold));
    System.out.println(Report.table(steps, cold));
    if (coldStart != null) {
      System.out.println(Report.coldStartLine(coldStart));
    }
    if (capacity != null) {
      System.out.println(capacity.summary());
    }
    System.out.println("result: " + options.out());
    System.out.println("chart: " + chart);
    if (options.smoke()) {
      List<String> problems = Report.smokeProblems(result, steps.getFirst());
      if (!problems.isEmpty()) {
        problems.forEach(p -> System.out.println("SMOKE FAILED: " + p));
        return 1;
      }
      System.out.println("smoke run passed");
    }
    if (options.check()) {
      List<String> problems = new ArrayList<>();
      List<String> voidSteps = new ArrayList<>();
      for (StepResult step : steps) {
        Report.loadProblems(step).forEach(p -> problems.add(step.calls + " calls: " + p));
        if (!step.valid()) {
          voidSteps.add(step.calls + " calls: the instrument was late (not a valid step)");
        }
      }
      if (!problems.isEmpty()) {
        problems.forEach(p -> System.out.println("CHECK FAILED: " + p));
        voidSteps.forEach(p -> System.out.println("CHECK FAILED: " + p));
        return 1;
      }
      if (!voidSteps.isEmpty()) {
        // The server did its part; the figures are void, not wrong: the caller may measure again.
        voidSteps.forEach(p -> System.out.println("CHECK VOID: " + p));
        return EXIT_VOID;
      }
      System.out.println("check passed: every step held its calls with a valid instrument");
    }
    return 0;
  }

  private ServerProcess startServer(Sim sim, String name) throws Exception {
    Path work = options.out().toAbsolutePath().getParent();
    ServerProcess server =
        ServerProcess.start(
            sim,
            options.serverJar(),
            options.maxConcurrent(),
            work,
            options.jfr(),
            options.serverNice(),
            options.serverJavaOptions(),
            name);
    log("server pid " + server.pid() + " at " + server.base());
    return server;
  }

  /** An account, a prompt and one agent per barge-in mode on its number, synced to the carrier. */
  private static ParleyApi setUp(Sim sim, ServerProcess server) throws Exception {
    ParleyApi api = new ParleyApi(server.base());
    api.login();
    String prompt = api.createPrompt("Bench", "You answer the bench's callers briefly.");
    for (BargeInMode mode : BargeInMode.values()) {
      String agent = api.createAgent(prompt, mode, Scenario.GREETING);
      api.awaitNumberSynced(agent, Duration.ofSeconds(30));
    }
    return api;
  }

  /** Live heap: used heap right after a (concurrent, ZGC) full collection. */
  private static double liveHeap(ServerProcess server, ParleyApi api) throws Exception {
    server.gc();
    Thread.sleep(500);
    return heapUsed(api);
  }

  /** How long the idle server is watched before each step, to subtract its idle CPU. */
  private static final Duration IDLE_WINDOW = Duration.ofSeconds(5);

  private StepResult step(
      Sim sim, ServerProcess server, ParleyApi api, int n, double heapAtZero, boolean cold)
      throws Exception {
    log("step: " + n + " calls" + (cold ? " (cold server)" : ""));
    sim.timeline().reset();
    sim.llm().rules(scenario.rules(Math.max(n, BargeInMode.values().length)));
    String metrics0 = api.prometheus();
    ConnectionCounts connections0 = ConnectionCounts.read(sim, metrics0);
    // the server's idle rate just before the step (nothing runs: the last calls have ended)
    ProcSample idle0 = server.sample();
    Thread.sleep(cold ? IDLE_WINDOW.toMillis() / 2 : IDLE_WINDOW.toMillis());
    ProcSample idle = server.sample().minus(idle0);
    sim.timeline().reset();
    ProcSample server0 = server.sample();
    ProcSample own0 = ProcSample.of(ProcessHandle.current().pid());
    MachineSample machine0 = MachineSample.of(server.pid(), server.dataDir());
    loops.apply();
    HeapSampler sampler = new HeapSampler(api, server, n, loops);
    Thread sampling = Thread.ofVirtual().start(sampler);
    List<CallRun> runs = runCalls(sim, n, options.staggerMs());
    ProcSample during = server.sample().minus(server0);
    ProcSample own = ProcSample.of(ProcessHandle.current().pid()).minus(own0);
    double othersCores =
        MachineSample.of(server.pid(), server.dataDir()).othersCoresSince(machine0);
    sampling.interrupt();
    sampling.join();
    Thread.sleep(1500); // the server finishes its records after the stream ends
    String metrics = api.prometheus();
    ConnectionCounts connections = ConnectionCounts.read(sim, metrics).minus(connections0);
    ServerCost cost =
        new ServerCost(
            idle,
            during,
            ParleyApi.sum(metrics, "jvm_gc_pause_seconds_sum")
                - ParleyApi.sum(metrics0, "jvm_gc_pause_seconds_sum"),
            ParleyApi.sum(metrics, "jvm_gc_concurrent_phase_time_seconds_sum")
                - ParleyApi.sum(metrics0, "jvm_gc_concurrent_phase_time_seconds_sum"));
    Measurements m = new Measurements(sim, scenario);
    int completed = 0;
    double seconds = 0;
    for (CallRun run : runs) {
      completed += run.completed() ? 1 : 0;
      seconds += run.seconds();
      String callId = m.callId(run.code());
      JsonNode record = callId == null ? null : api.call(callId);
      m.add(run, callId, record);
    }
    StringBuilder traces = new StringBuilder();
    for (CallRun run : runs.subList(0, Math.min(2, runs.size()))) {
      traces.append(m.trace(run, m.callId(run.code())));
    }
    Files.writeString(
        options
            .out()
            .toAbsolutePath()
            .getParent()
            .resolve("bench-trace-" + (cold ? "cold-" : "") + n + ".txt"),
        traces.toString());
    double heapPerCall = Math.max(0, sampler.steadyHeap() - heapAtZero) / n;
    return new StepResult(
        n,
        runs.size(),
        completed,
        m,
        during.cpuSeconds(),
        seconds / 60,
        own.cpuSeconds(),
        sampler.steadyHeap() < 0 ? Double.NaN : heapPerCall,
        sampler.maxRss(),
        Stats.ofMicrosAsMillis(sim.timeline().latenessMicros()),
        connections,
        cost,
        own,
        othersCores,
        cold);
  }

  /**
   * Places n calls, staggered over {@code staggerMs}, alternating between the barge-in modes, and
   * waits for all of them to end. A single call is placed once in each mode, one after the other,
   * so every mode is measured at one call too.
   */
  private List<CallRun> runCalls(Sim sim, int n, long staggerMs) throws Exception {
    if (n > 1) {
      return runCalls(sim, n, staggerMs, null);
    }
    List<CallRun> runs = new ArrayList<>();
    for (BargeInMode mode : BargeInMode.values()) {
      runs.addAll(runCalls(sim, 1, staggerMs, mode));
    }
    return runs;
  }

  /**
   * Places n calls at once, all in mode {@code only} or (null) alternating; a single call in one
   * mode gets that mode's index, so its code differs from the other mode's.
   */
  private List<CallRun> runCalls(Sim sim, int n, long staggerMs, BargeInMode only)
      throws Exception {
    List<Future<CallRun>> futures = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < n; i++) {
        int index = only != null && n == 1 ? only.ordinal() : i;
        long delay = n == 1 ? 0 : staggerMs * i / (n - 1);
        futures.add(
            pool.submit(
                () -> {
                  Thread.sleep(delay);
                  String code = Scenario.code(index);
                  BargeInMode mode = only != null ? only : BargeInMode.of(index);
                  long start = System.nanoTime();
                  CallHandle call =
                      sim.placeCall(
                          Scenario.callerNumber(index), mode.agentNumber, scenario.script(code));
                  boolean ended = call.awaitEnd(Duration.ofSeconds(240));
                  double seconds = (System.nanoTime() - start) / 1e9;
                  boolean completed = ended && call.errors().isEmpty();
                  if (!completed) {
                    log(
                        "call "
                            + index
                            + " "
                            + call.sid()
                            + ": ended "
                            + ended
                            + ", status "
                            + call.status()
                            + ", errors "
                            + call.errors());
                  }
                  return new CallRun(index, code, mode, call, completed, seconds);
                }));
      }
      List<CallRun> runs = new ArrayList<>();
      for (Future<CallRun> f : futures) {
        runs.add(f.get());
      }
      return runs;
    }
  }

  static double heapUsed(ParleyApi api) throws Exception {
    return api.metric("jvm_memory_used_bytes", "area=\"heap\"");
  }

  static void log(String message) {
    System.out.println(Instant.now() + " " + message);
  }

  /**
   * Reads the server's live heap once while all n calls are live, and its resident memory every
   * half second. Live heap is used heap right after a full collection: the server runs ZGC, whose
   * {@code GC.run} is concurrent, so forcing one does not pause the measured calls. The active call
   * count comes from {@code /actuator/prometheus} every two seconds only until the calls are all up
   * (a scrape allocates megabytes in the server: scraping all through the step made the instrument
   * the server's biggest allocator).
   */
  static final class HeapSampler implements Runnable {
    private final ParleyApi api;
    private final ServerProcess server;
    private final int n;
    private final LoopPriority loops;
    private volatile double steady = -1;
    private volatile long maxRss;

    HeapSampler(ParleyApi api, ServerProcess server, int n, LoopPriority loops) {
      this.api = api;
      this.server = server;
      this.n = n;
      this.loops = loops;
    }

    @Override
    public void run() {
      long nextScrape = 0;
      while (!Thread.currentThread().isInterrupted()) {
        try {
          maxRss = Math.max(maxRss, server.rssBytes());
          // the callers' loops start with the first calls of a run
          loops.apply();
          if (steady < 0 && System.nanoTime() >= nextScrape) {
            nextScrape = System.nanoTime() + 2_000_000_000L;
            if (sum(api.prometheus(), "parley_calls_active", "") >= n) {
              server.gc();
              String text = api.prometheus();
              if (sum(text, "parley_calls_active", "") >= n) {
                steady = sum(text, "jvm_memory_used_bytes", "area=\"heap\"");
              }
            }
          }
          Thread.sleep(500);
        } catch (InterruptedException e) {
          return;
        } catch (Exception e) {
          // a missed sample
        }
      }
    }

    double steadyHeap() {
      return steady;
    }

    long maxRss() {
      return maxRss;
    }

    private static double sum(String text, String name, String labelPart) {
      double sum = 0;
      for (String line : text.split("\n")) {
        if ((line.startsWith(name + "{") || line.startsWith(name + " "))
            && line.contains(labelPart)) {
          sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
      }
      return sum;
    }
  }
}
