package io.parley.sim;

import io.parley.sim.admin.AdminApi;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/** {@code java -jar parley-sim.jar --config sim.yml}: starts every simulator and prints its URL. */
public final class SimMain {
  private SimMain() {}

  public static void main(String[] args) throws Exception {
    // Jetty's start-up chatter would bury the URLs this command exists to print
    if (System.getProperty("org.slf4j.simpleLogger.log.org.eclipse.jetty") == null) {
      System.setProperty("org.slf4j.simpleLogger.log.org.eclipse.jetty", "warn");
    }
    SimConfig config = SimConfig.defaults();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--config" -> {
          if (i + 1 >= args.length) {
            usage(System.err);
            System.exit(2);
          }
          config = SimConfig.load(Path.of(args[++i]));
        }
        case "--help", "-h" -> {
          usage(System.out);
          return;
        }
        default -> {
          System.err.println("unknown argument: " + args[i]);
          usage(System.err);
          System.exit(2);
        }
      }
    }
    Sim sim = Sim.start(config);
    AdminApi admin = AdminApi.start(sim);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  admin.close();
                  sim.close();
                  stopped.countDown();
                }));
    printUrls(sim, admin, System.out);
    stopped.await();
  }

  static void printUrls(Sim sim, AdminApi admin, PrintStream out) {
    out.println("parley-sim started");
    out.println("PARLEY_TWILIO_API_URL=" + sim.twilioApiUrl());
    out.println(
        "  Twilio account: " + sim.twilio().accountSid() + " token: " + sim.twilio().authToken());
    out.println("PARLEY_DEEPGRAM_URL=" + sim.deepgramUrl());
    out.println("  Deepgram API key: " + sim.deepgram().apiKey());
    out.println("PARLEY_ELEVENLABS_URL=" + sim.elevenLabsUrl());
    out.println("  ElevenLabs API key: " + sim.elevenLabs().apiKey());
    out.println("PARLEY_LLM_<ID>_BASE_URL=" + sim.llmBaseUrl());
    out.println("  LLM API key: " + sim.llm().apiKey());
    out.println("Admin API (faults, inbound calls and texts): " + admin.url());
    out.println("  Authorization: Bearer " + sim.config().admin().key());
    out.flush();
  }

  private static void usage(PrintStream out) {
    out.println("usage: java -jar parley-sim.jar [--config sim.yml]");
  }
}
