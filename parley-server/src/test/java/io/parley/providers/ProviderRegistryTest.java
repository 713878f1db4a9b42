package io.parley.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;
import tools.jackson.databind.json.JsonMapper;

class ProviderRegistryTest {

  @Test
  void withNothingSetKnowsTheDefaultsButNoneIsConfigured() {
    ProviderRegistry registry = new ProviderRegistry(new MockEnvironment());

    assertThat(registry.list())
        .containsExactly(
            new ProviderInfo("xai", ProviderKind.LLM, URI.create("https://api.x.ai/v1"), false),
            new ProviderInfo(
                "deepgram", ProviderKind.STT, URI.create("https://api.deepgram.com"), false),
            new ProviderInfo(
                "deepgram", ProviderKind.TTS, URI.create("https://api.deepgram.com"), false),
            new ProviderInfo(
                "elevenlabs", ProviderKind.TTS, URI.create("https://api.elevenlabs.io"), false),
            new ProviderInfo(
                "twilio", ProviderKind.TELEPHONY, URI.create("https://api.twilio.com"), false));
    assertThat(registry.llm("xai")).isEmpty();
    assertThat(registry.twilio()).isEmpty();
  }

  @Test
  void findsEveryLlmHostNamedInTheEnvironmentWithLowerCaseIds() {
    MockEnvironment environment =
        new MockEnvironment()
            .withProperty("PARLEY_LLM_XAI_API_KEY", "xai-key")
            .withProperty("PARLEY_LLM_OPENAI_BASE_URL", "https://api.openai.com/v1/")
            .withProperty("PARLEY_LLM_OPENAI_API_KEY", "sk-openai")
            .withProperty("PARLEY_LLM_LOCAL_OLLAMA_BASE_URL", "http://127.0.0.1:11434/v1");

    ProviderRegistry registry = new ProviderRegistry(environment);

    assertThat(registry.ids(ProviderKind.LLM)).containsExactly("local_ollama", "openai", "xai");
    assertThat(registry.isKnown(ProviderKind.LLM, "openai")).isTrue();
    assertThat(registry.isConfigured(ProviderKind.LLM, "openai")).isTrue();
    assertThat(registry.isKnown(ProviderKind.LLM, "local_ollama")).isTrue();
    assertThat(registry.isConfigured(ProviderKind.LLM, "local_ollama")).isFalse();
    assertThat(registry.isKnown(ProviderKind.LLM, "OPENAI")).isFalse();
    assertThat(registry.isKnown(ProviderKind.TTS, "openai")).isFalse();
    ProviderEndpoint openai = registry.llm("openai").orElseThrow();
    assertThat(openai.baseUrl()).isEqualTo(URI.create("https://api.openai.com/v1"));
    assertThat(openai.apiKey().reveal()).isEqualTo("sk-openai");
    assertThat(registry.llm("xai").orElseThrow().apiKey().reveal()).isEqualTo("xai-key");
  }

  @Test
  void speechAndTelephonyAreConfiguredByTheirKeys() {
    MockEnvironment environment =
        new MockEnvironment()
            .withProperty("PARLEY_DEEPGRAM_URL", "http://127.0.0.1:9001")
            .withProperty("PARLEY_DEEPGRAM_API_KEY", "dg-key")
            .withProperty("PARLEY_ELEVENLABS_API_KEY", "el-key")
            .withProperty("PARLEY_TWILIO_ACCOUNT_SID", "AC123")
            .withProperty("PARLEY_TWILIO_AUTH_TOKEN", "tw-token")
            .withProperty("PARLEY_TWILIO_API_URL", "http://127.0.0.1:9002");

    ProviderRegistry registry = new ProviderRegistry(environment);

    assertThat(registry.isConfigured(ProviderKind.STT, "deepgram")).isTrue();
    assertThat(registry.isConfigured(ProviderKind.TTS, "deepgram")).isTrue();
    assertThat(registry.isConfigured(ProviderKind.TTS, "elevenlabs")).isTrue();
    assertThat(registry.isConfigured(ProviderKind.TELEPHONY, "twilio")).isTrue();
    assertThat(registry.endpoint(ProviderKind.STT, "deepgram").orElseThrow().baseUrl())
        .isEqualTo(URI.create("http://127.0.0.1:9001"));
    TwilioAccount twilio = registry.twilio().orElseThrow();
    assertThat(twilio.accountSid()).isEqualTo("AC123");
    assertThat(twilio.authToken().reveal()).isEqualTo("tw-token");
    assertThat(twilio.apiUrl()).isEqualTo(URI.create("http://127.0.0.1:9002"));
  }

  @Test
  void twilioNeedsBothSidAndToken() {
    ProviderRegistry registry =
        new ProviderRegistry(
            new MockEnvironment().withProperty("PARLEY_TWILIO_ACCOUNT_SID", "AC123"));

    assertThat(registry.isConfigured(ProviderKind.TELEPHONY, "twilio")).isFalse();
    assertThat(registry.twilio()).isEmpty();
  }

  @Test
  void keysNeverShowInTextOrJson() {
    ProviderRegistry registry =
        new ProviderRegistry(
            new MockEnvironment()
                .withProperty("PARLEY_LLM_XAI_API_KEY", "xai-very-secret")
                .withProperty("PARLEY_TWILIO_ACCOUNT_SID", "AC123")
                .withProperty("PARLEY_TWILIO_AUTH_TOKEN", "twilio-very-secret"));
    ProviderEndpoint xai = registry.llm("xai").orElseThrow();
    TwilioAccount twilio = registry.twilio().orElseThrow();
    JsonMapper mapper = JsonMapper.builder().build();

    assertThat(xai.toString()).doesNotContain("xai-very-secret").contains("****");
    assertThat(twilio.toString()).doesNotContain("twilio-very-secret");
    assertThat(mapper.writeValueAsString(xai)).doesNotContain("xai-very-secret");
    assertThat(mapper.writeValueAsString(twilio)).doesNotContain("twilio-very-secret");
    assertThat(mapper.writeValueAsString(registry.list())).doesNotContain("secret");
  }

  @Test
  void blankValuesCountAsUnset() {
    ProviderRegistry registry =
        new ProviderRegistry(
            new MockEnvironment()
                .withProperty("PARLEY_LLM_XAI_API_KEY", "  ")
                .withProperty("PARLEY_ELEVENLABS_URL", ""));

    assertThat(registry.isConfigured(ProviderKind.LLM, "xai")).isFalse();
    assertThat(registry.list())
        .contains(
            new ProviderInfo(
                "elevenlabs", ProviderKind.TTS, URI.create("https://api.elevenlabs.io"), false));
  }

  @Test
  void refusesToStartWithABadUrlOrAKeyWithoutAUrl() {
    assertThatThrownBy(
            () ->
                new ProviderRegistry(
                    new MockEnvironment().withProperty("PARLEY_DEEPGRAM_URL", "ftp://x")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("PARLEY_DEEPGRAM_URL");
    assertThatThrownBy(
            () ->
                new ProviderRegistry(
                    new MockEnvironment().withProperty("PARLEY_LLM_GROQ_API_KEY", "gsk-secret")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("PARLEY_LLM_GROQ_BASE_URL")
        .message()
        .doesNotContain("gsk-secret");
  }
}
