package io.parley.bench;

import io.parley.sim.Sim;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The Parley server as a child process (`java -jar parley-server.jar`), pointed at the simulators
 * through the same environment variables an operator sets. Its CPU time and resident memory are
 * read from /proc, so they are the server's alone, not the bench's.
 */
final class ServerProcess implements AutoCloseable {
  /** Clock ticks per second of /proc/<pid>/stat (USER_HZ; 100 on Linux everywhere in practice). */
  private static final double TICKS = 100.0;

  private final Process process;
  private final URI base;
  private final Path log;
  private final Path data;

  private ServerProcess(Process process, URI base, Path log, Path data) {
    this.data = data;
    this.process = process;
    this.base = base;
    this.log = log;
  }

  /**
   * Starts a server with a fresh database; {@code name} names its log, GC log and flight recording
   * in {@code workDir} ({@code bench-server.log}, ...).
   */
  static ServerProcess start(
      Sim sim,
      Path jar,
      int maxCalls,
      Path workDir,
      boolean jfr,
      int nice,
      List<String> javaOptions,
      String name)
      throws IOException, InterruptedException {
    return start(
        sim,
        jar,
        maxCalls,
        workDir,
        jfr,
        nice,
        javaOptions,
        name,
        freePort(),
        freePort(),
        Map.of());
  }

  /**
   * Starts a server on the given HTTP and media ports with {@code extraEnv} added to (or replacing)
   * the bench's environment, e.g. an external database and a node id: one of several nodes, which
   * may be started again on the same ports.
   */
  static ServerProcess start(
      Sim sim,
      Path jar,
      int maxCalls,
      Path workDir,
      boolean jfr,
      int nice,
      List<String> javaOptions,
      String name,
      int port,
      int mediaPort,
      Map<String, String> extraEnv)
      throws IOException, InterruptedException {
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          jar + " not found: build it with ./mvnw -B -DskipTests -pl parley-server -am package");
    }
    URI base = URI.create("http://127.0.0.1:" + port);
    Path data = Files.createTempDirectory(workDir, "parley-data-");
    Path log = workDir.resolve(name + ".log");
    List<String> command = new ArrayList<>();
    if (nice > 0) {
      // nice execs java, so the pid (CPU, RSS, jcmd) is still the server's
      command.addAll(List.of("nice", "-n", Integer.toString(nice)));
    }
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    if (jfr) {
      command.add(
          "-XX:StartFlightRecording=filename="
              + workDir.resolve(name + ".jfr").toAbsolutePath()
              + ",settings=profile,dumponexit=true");
    }
    // as docs/operations.md recommends for production: a collector whose pauses stay under a
    // millisecond (G1's young pauses were 3–6 ms at one call); GC.run is then concurrent too,
    // which lets the bench read live heap while calls are running
    command.add("-XX:+UseZGC");
    // the server's collector pauses are part of what a caller hears: logged beside the result
    command.add("-Xlog:gc:file=" + workDir.resolve(name + "-gc.log").toAbsolutePath());
    // Netty's epoll transport loads a native library
    command.add("--enable-native-access=ALL-UNNAMED");
    // last, so an experiment (--server-java-options) can override any of the above
    command.addAll(javaOptions);
    command.add("-jar");
    command.add(jar.toAbsolutePath().toString());
    ProcessBuilder pb = new ProcessBuilder(command);
    Map<String, String> env = pb.environment();
    env.put("PARLEY_PORT", Integer.toString(port));
    // The first administrator, created at start (on every node alike: it is idempotent).
    env.put("PARLEY_BOOTSTRAP_ADMIN_EMAIL", ParleyApi.EMAIL);
    env.put("PARLEY_BOOTSTRAP_ADMIN_PASSWORD", ParleyApi.PASSWORD);
    // The server's loops run behind the instrument's (--loop-nice), so they wait for a core
    // whenever
    // the simulators' loops need one: that is the bench's doing, not the server's load, and
    // refusing calls for it (the default 20 ms rule) would measure nothing. Loop lag is still
    // recorded in the server's metrics; a limit this high only trips on a loop that is really
    // stuck.
    env.put("PARLEY_MEDIA_OVERLOAD_LAG", "1s");
    // the media socket's own port (issue 13); the voice webhook names it in <Stream url>
    env.put("PARLEY_MEDIA_PORT", Integer.toString(mediaPort));
    env.put("PARLEY_PUBLIC_URL", base.toString());
    env.put("PARLEY_DATA_DIR", data.toAbsolutePath().toString());
    env.put("PARLEY_TWILIO_API_URL", sim.twilioApiUrl().toString());
    env.put("PARLEY_TWILIO_ACCOUNT_SID", sim.twilio().accountSid());
    env.put("PARLEY_TWILIO_AUTH_TOKEN", sim.twilio().authToken());
    env.put("PARLEY_DEEPGRAM_URL", sim.deepgramUrl().toString());
    env.put("PARLEY_DEEPGRAM_API_KEY", sim.config().deepgram().apiKey());
    env.put("PARLEY_ELEVENLABS_URL", sim.elevenLabsUrl().toString());
    env.put("PARLEY_ELEVENLABS_API_KEY", sim.config().elevenLabs().apiKey());
    env.put("PARLEY_LLM_XAI_BASE_URL", sim.llmBaseUrl().toString());
    env.put("PARLEY_LLM_XAI_API_KEY", sim.llm().apiKey());
    env.put("PARLEY_MAX_CONCURRENT_CALLS", Integer.toString(Math.max(50, maxCalls + 10)));
    env.putAll(extraEnv);
    pb.redirectErrorStream(true).redirectOutput(log.toFile());
    ServerProcess server = new ServerProcess(pb.start(), base, log, data);
    server.awaitUp(Duration.ofSeconds(120));
    return server;
  }

  URI base() {
    return base;
  }

  long pid() {
    return process.pid();
  }

  /** The server's data directory (its embedded PostgreSQL runs on a directory inside it). */
  String dataDir() {
    return data.toAbsolutePath().toString();
  }

  /** User plus system CPU seconds the server has used so far. */
  double cpuSeconds() throws IOException {
    String stat = Files.readString(Path.of("/proc", Long.toString(pid()), "stat"));
    // fields after the command name, which is in parentheses and may contain spaces
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS;
  }

  /**
   * The server's counters now, from /proc: CPU of the whole process (exited threads included),
   * context switches summed over its live threads, and the CPU of its garbage collector's and JIT
   * compilers' threads (by name).
   */
  ProcSample sample() throws IOException {
    return ProcSample.of(pid());
  }

  /** Resident set size in bytes. */
  long rssBytes() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    return -1;
  }

  /** Asks the server's JVM for a full collection (jcmd), so used heap approaches live heap. */
  void gc() {
    try {
      Process p =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                  Long.toString(pid()),
                  "GC.run")
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      p.waitFor(30, TimeUnit.SECONDS);
    } catch (IOException e) {
      // no jcmd: used heap is reported as it is
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void awaitUp(Duration timeout) throws InterruptedException, IOException {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "the server exited with " + process.exitValue() + "; its log: " + log);
      }
      try {
        HttpResponse<Void> r =
            http.send(
                HttpRequest.newBuilder(base.resolve("/actuator/health")).build(),
                HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException("the server did not come up in " + timeout + "; log: " + log);
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** Kills the process (SIGKILL), as a crash would: it writes nothing more. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  /** The server's log (standard output and error). */
  Path log() {
    return log;
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
    // the throw-away data directory (embedded PostgreSQL), so runs do not pile up in target/
    try (var paths = Files.walk(data)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // left behind; it is under target/
    }
  }
}
