package io.parley.tts;

import io.parley.providers.OutboundHttp;
import io.parley.providers.ProviderEndpoint;
import io.parley.providers.ProviderRegistry;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Deepgram Aura REST: {@code POST /v1/speak} (PROTOCOLS.md 3.1). {@code container=none} matters:
 * for μ-law Aura wraps the audio in WAV by default.
 */
final class AuraProvider extends RestSpeechProvider {
  static final String NAME = "deepgram-aura";
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final Supplier<ProviderEndpoint> endpoint;
  private final TtsProperties properties;

  AuraProvider(
      Supplier<ProviderEndpoint> endpoint,
      HttpClient http,
      TtsProperties properties,
      OutboundHttp outbound) {
    super(http, properties, outbound);
    this.endpoint = endpoint;
    this.properties = properties;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String providerId() {
    return ProviderRegistry.DEEPGRAM;
  }

  @Override
  HttpRequest.Builder request(VoiceSpec.Voice voice, String languageCode, String text) {
    ProviderEndpoint e = endpoint.get();
    return HttpRequest.newBuilder(uri(e.baseUrl(), model(voice)))
        .header("Authorization", "Token " + e.apiKey().reveal())
        .header("Content-Type", "application/json")
        .POST(
            HttpRequest.BodyPublishers.ofString(
                JSON.writeValueAsString(JSON.createObjectNode().put("text", text))));
  }

  /** Aura's voice is its model: {@code aura-2-thalia-en} may be given as the voice id or model. */
  String model(VoiceSpec.Voice voice) {
    if (voice.voiceId().startsWith("aura")) {
      return voice.voiceId();
    }
    return voice.model() != null ? voice.model() : properties.auraModel();
  }

  static URI uri(URI base, String model) {
    return URI.create(
        base
            + "/v1/speak?model="
            + URLEncoder.encode(model, StandardCharsets.UTF_8)
            + "&encoding=mulaw&sample_rate=8000&container=none");
  }

  /** {@code {"err_code":"INVALID_AUTH",...}}, or null for another shape. */
  @Override
  String errorCode(String body) {
    try {
      return JSON.readTree(body).path("err_code").asString(null);
    } catch (JacksonException e) {
      return null;
    }
  }
}
