package io.parley.bench;

import io.parley.sim.Sim;
import io.parley.sim.SimConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The lead import, measured: a real server (child process, fresh embedded database) takes a
 * generated lead file streamed over HTTP, as an operator's upload; rows per second, the server's
 * CPU and its resident memory before, at the peak (sampled every 100 ms) and after; with a small
 * heap ({@code --server-java-options -Xmx256m}) it shows the upload is not held in memory. Runs:
 * {@code java -cp parley-bench/target/parley-bench.jar io.parley.bench.ImportBench --rows 100000}.
 */
public final class ImportBench {

  private ImportBench() {}

  public static void main(String[] args) throws Exception {
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "error");
    int rows = 100_000;
    int uploads = 2;
    Path jar = Path.of("parley-server/target/parley-server.jar");
    Path out = Path.of("parley-bench/target/import-bench.json");
    List<String> javaOptions = List.of();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--rows" -> rows = Integer.parseInt(args[++i]);
        case "--uploads" -> uploads = Integer.parseInt(args[++i]);
        case "--server-jar" -> jar = Path.of(args[++i]);
        case "--out" -> out = Path.of(args[++i]);
        case "--server-java-options" -> javaOptions = List.of(args[++i].trim().split("\\s+"));
        default -> {
          System.err.println(
              "usage: ImportBench [--rows 100000] [--uploads 2] [--server-jar <jar>] [--out <json>]"
                  + " [--server-java-options \"-Xmx256m\"]");
          System.exit(2);
        }
      }
    }
    Path work = out.toAbsolutePath().getParent();
    Files.createDirectories(work);
    ObjectNode result = ParleyApi.JSON.createObjectNode().put("rows", rows);
    result.putPOJO("serverJavaOptions", javaOptions);
    try (Sim sim = Sim.start(SimConfig.defaults());
        ServerProcess server =
            ServerProcess.start(sim, jar, 10, work, false, 0, javaOptions, "import-server")) {
      ParleyApi api = new ParleyApi(server.base());
      api.login();
      String prompt = api.createPrompt("Import", "You remind people of visits.");
      String agent = api.createAgent(prompt, BargeInMode.values()[0], "Hello!");
      for (int upload = 1; upload <= uploads; upload++) {
        // each upload into a fresh campaign: the first warms the server, the last is reported
        String campaign = api.createCampaign("Import " + upload, agent);
        server.gc();
        Thread.sleep(500);
        long rssBefore = server.rssBytes();
        AtomicLong peak = new AtomicLong(rssBefore);
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        sampler.scheduleAtFixedRate(
            () -> {
              try {
                peak.accumulateAndGet(server.rssBytes(), Math::max);
              } catch (IOException ignored) {
                // the next sample will do
              }
            },
            0,
            100,
            TimeUnit.MILLISECONDS);
        double cpu0 = server.cpuSeconds();
        long t0 = System.nanoTime();
        int count = rows;
        JsonNode report = api.importLeads(campaign, () -> new LeadFile(count));
        double seconds = (System.nanoTime() - t0) / 1e9;
        double cpu = server.cpuSeconds() - cpu0;
        sampler.shutdownNow();
        long rssAfter = server.rssBytes();
        String line =
            String.format(
                Locale.ROOT,
                "upload %d: %d rows in %.1f s = %.0f rows/s; accepted %d, invalid %d, duplicates %d;"
                    + " server CPU %.1f s; RSS %d MB before, %d MB peak, %d MB after",
                upload,
                report.path("rows").asInt(),
                seconds,
                report.path("rows").asInt() / seconds,
                report.path("accepted").asInt(),
                report.path("invalid").asInt(),
                report.path("duplicates").asInt(),
                cpu,
                rssBefore >> 20,
                peak.get() >> 20,
                rssAfter >> 20);
        System.out.println(line);
        if (upload == uploads) {
          result
              .put("seconds", seconds)
              .put("rowsPerSecond", report.path("rows").asInt() / seconds)
              .put("serverCpuSeconds", cpu)
              .put("rssBeforeBytes", rssBefore)
              .put("rssPeakBytes", peak.get())
              .put("rssAfterBytes", rssAfter)
              .set("report", report.deepCopy());
          ((ObjectNode) result.get("report")).remove("lines");
        }
      }
    }
    Files.writeString(
        out, ParleyApi.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(result));
    System.out.println("result: " + out);
  }

  /**
   * A lead file made as it is read: distinct US numbers with a name, a zone and two variables; one
   * line in 200 is not a number and one in 100 repeats the line before it (100,000 distinct numbers
   * at most).
   */
  static final class LeadFile extends InputStream {
    private static final int[] AREA_CODES = {212, 213, 305, 312, 415, 617, 713, 206, 303, 404};
    private final int rows;
    private int next = -1;
    private byte[] line =
        "phone,first_name,last_name,time_zone,visit,clinic\n".getBytes(StandardCharsets.UTF_8);
    private int position;

    LeadFile(int rows) {
      this.rows = rows;
    }

    @Override
    public int read() {
      if (position == line.length && !advance()) {
        return -1;
      }
      return line[position++] & 0xFF;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) {
      if (length == 0) {
        return 0;
      }
      int written = 0;
      while (written < length) {
        if (position == line.length && !advance()) {
          break;
        }
        int n = Math.min(length - written, line.length - position);
        System.arraycopy(line, position, buffer, offset + written, n);
        position += n;
        written += n;
      }
      return written == 0 ? -1 : written;
    }

    private boolean advance() {
      next++;
      if (next >= rows) {
        return false;
      }
      int number = next % 100 == 99 ? next - 1 : next;
      String phone =
          next % 200 == 13
              ? "unknown"
              : String.format(
                  Locale.ROOT,
                  "+1%d555%04d",
                  AREA_CODES[number / 10_000 % AREA_CODES.length],
                  number % 10_000);
      line =
          (phone + ",Lead" + next + ",Surname,America/New_York,2026-12-1" + next % 10 + ",North\n")
              .getBytes(StandardCharsets.UTF_8);
      position = 0;
      return true;
    }
  }
}
