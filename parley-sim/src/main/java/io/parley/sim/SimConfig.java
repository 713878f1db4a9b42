package io.parley.sim;

import io.parley.sim.deepgram.DeepgramConfig;
import io.parley.sim.elevenlabs.ElevenLabsConfig;
import io.parley.sim.http.HttpConfig;
import io.parley.sim.llm.LlmConfig;
import io.parley.sim.twilio.TwilioConfig;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Everything {@link Sim#start} needs: the listening host, how its servers treat connections, the
 * clock and one section per simulator. Loaded from YAML by the standalone jar (see
 * parley-sim/README.md), built in code by tests.
 */
public record SimConfig(
    String host,
    SimClock clock,
    TwilioConfig twilio,
    DeepgramConfig deepgram,
    ElevenLabsConfig elevenLabs,
    LlmConfig llm,
    AdminConfig admin,
    HttpConfig http) {

  public SimConfig {
    host = host == null ? "127.0.0.1" : host;
    clock = clock == null ? SimClock.system() : clock;
    twilio = twilio == null ? TwilioConfig.defaults() : twilio;
    deepgram = deepgram == null ? DeepgramConfig.defaults() : deepgram;
    elevenLabs = elevenLabs == null ? ElevenLabsConfig.defaults() : elevenLabs;
    llm = llm == null ? LlmConfig.defaults() : llm;
    admin = admin == null ? AdminConfig.defaults() : admin;
    http = http == null ? HttpConfig.defaults() : http;
  }

  public SimConfig(
      String host,
      SimClock clock,
      TwilioConfig twilio,
      DeepgramConfig deepgram,
      ElevenLabsConfig elevenLabs,
      LlmConfig llm) {
    this(host, clock, twilio, deepgram, elevenLabs, llm, null, null);
  }

  public static SimConfig defaults() {
    return new SimConfig(null, null, null, null, null, null);
  }

  public SimConfig withClock(SimClock newClock) {
    return new SimConfig(host, newClock, twilio, deepgram, elevenLabs, llm, admin, http);
  }

  public SimConfig withLlm(LlmConfig newLlm) {
    return new SimConfig(host, clock, twilio, deepgram, elevenLabs, newLlm, admin, http);
  }

  public SimConfig withTwilio(TwilioConfig newTwilio) {
    return new SimConfig(host, clock, newTwilio, deepgram, elevenLabs, llm, admin, http);
  }

  public SimConfig withElevenLabs(ElevenLabsConfig newElevenLabs) {
    return new SimConfig(host, clock, twilio, deepgram, newElevenLabs, llm, admin, http);
  }

  public SimConfig withDeepgram(DeepgramConfig newDeepgram) {
    return new SimConfig(host, clock, twilio, newDeepgram, elevenLabs, llm, admin, http);
  }

  public SimConfig withAdmin(AdminConfig newAdmin) {
    return new SimConfig(host, clock, twilio, deepgram, elevenLabs, llm, newAdmin, http);
  }

  public SimConfig withHttp(HttpConfig newHttp) {
    return new SimConfig(host, clock, twilio, deepgram, elevenLabs, llm, admin, newHttp);
  }

  /** Parses a caller script from YAML text (a list of steps; see parley-sim/README.md). */
  public static io.parley.sim.caller.CallerScript script(String yaml) {
    return YamlConfig.loadScript(yaml);
  }

  public static SimConfig load(Path file) throws IOException {
    try (Reader reader = Files.newBufferedReader(file)) {
      Object root = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
      return YamlConfig.simConfig(root == null ? Map.of() : YamlConfig.map(root, "config"));
    }
  }
}
