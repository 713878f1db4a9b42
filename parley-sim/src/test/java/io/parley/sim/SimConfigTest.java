package io.parley.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.sim.admin.AdminApi;
import io.parley.sim.caller.CallerScript;
import io.parley.sim.llm.LlmConfig;
import io.parley.sim.twilio.TwilioConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The documented example files load, and the standalone start prints every URL. */
class SimConfigTest {

  @Test
  void theExampleConfigLoads() throws Exception {
    SimConfig config = SimConfig.load(Path.of("examples/sim.yml"));
    assertThat(config.twilio().port()).isEqualTo(18080);
    assertThat(config.twilio().numbers()).hasSize(1);
    TwilioConfig.Destination person = config.twilio().destinations().get("+15557654321");
    assertThat(person.ringFor()).isEqualTo(Duration.ofMillis(1500));
    assertThat(person.script().steps()).hasSize(3);
    assertThat(config.twilio().destinations().get("+15550000408").outcome())
        .isEqualTo(TwilioConfig.Outcome.NO_ANSWER);
    assertThat(config.twilio().numbers().getFirst().smsUrl())
        .isEqualTo("http://127.0.0.1:8080/twilio/sms");
    assertThat(config.twilio().destinations().get("+15550000300").sms())
        .isEqualTo(TwilioConfig.SmsOutcome.UNDELIVERED);
    assertThat(person.sms()).isEqualTo(TwilioConfig.SmsOutcome.DELIVERED);
    assertThat(config.admin()).isEqualTo(new AdminConfig(18084, "sim-admin-key"));
    assertThat(config.deepgram().latency()).isEqualTo(Duration.ofMillis(150));
    assertThat(config.deepgram().vadLatency()).isEqualTo(Duration.ofMillis(20));
    assertThat(config.http())
        .isEqualTo(new io.parley.sim.http.HttpConfig(Duration.ofSeconds(5), true));
    assertThat(config.elevenLabs().firstAudio()).isEqualTo(Duration.ofMillis(200));
    assertThat(config.llm().rules()).hasSize(2);
    assertThat(config.llm().rules().getFirst().toolCalls().getFirst().arguments())
        .isEqualTo("{\"party_size\":2}");
    assertThat(config.llm().flavor()).isEqualTo(LlmConfig.Flavor.XAI);
  }

  @Test
  void theExampleScriptLoads() throws Exception {
    CallerScript script = SimConfig.script(Files.readString(Path.of("examples/barge-in.yml")));
    assertThat(script.steps()).hasSize(6);
    assertThat(script.steps().get(1))
        .isEqualTo(
            new CallerScript.Say(
                "sorry, wait",
                new CallerScript.IntoAgentReply(Duration.ofMillis(800), Duration.ofSeconds(10))));
    assertThat(script.steps().get(3)).isEqualTo(new CallerScript.Dtmf("1#"));
  }

  @Test
  void rejectsUnknownKeys(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("bad.yml");
    Files.writeString(file, "llm:\n  tokensPerSec: 3\n");
    assertThatThrownBy(() -> SimConfig.load(file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tokensPerSec");
  }

  @Test
  void printsEveryUrl() {
    try (Sim sim = Sim.start(SimConfig.defaults());
        AdminApi admin = AdminApi.start(sim)) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      SimMain.printUrls(sim, admin, new PrintStream(bytes, true, StandardCharsets.UTF_8));
      String out = bytes.toString(StandardCharsets.UTF_8);
      assertThat(out)
          .contains("PARLEY_TWILIO_API_URL=" + sim.twilioApiUrl())
          .contains("PARLEY_DEEPGRAM_URL=" + sim.deepgramUrl())
          .contains("PARLEY_ELEVENLABS_URL=" + sim.elevenLabsUrl())
          .contains("PARLEY_LLM_<ID>_BASE_URL=" + sim.llmBaseUrl())
          .contains(admin.url().toString())
          .contains("Authorization: Bearer " + sim.config().admin().key());
    }
  }
}
