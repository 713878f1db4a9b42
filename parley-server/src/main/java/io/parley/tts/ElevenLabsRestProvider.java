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
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** ElevenLabs REST streaming: {@code POST /v1/text-to-speech/{voice}/stream} (PROTOCOLS.md 4.3). */
final class ElevenLabsRestProvider extends RestSpeechProvider {
  static final String NAME = "elevenlabs-rest";
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final Supplier<ProviderEndpoint> endpoint;
  private final TtsProperties properties;

  ElevenLabsRestProvider(
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
    return ProviderRegistry.ELEVENLABS;
  }

  @Override
  HttpRequest.Builder request(VoiceSpec.Voice voice, String languageCode, String text) {
    ProviderEndpoint e = endpoint.get();
    return HttpRequest.newBuilder(uri(e.baseUrl(), voice))
        .header("xi-api-key", e.apiKey().reveal())
        .header("Content-Type", "application/json")
        .header("Accept", "audio/basic")
        .POST(HttpRequest.BodyPublishers.ofString(body(voice, languageCode, text)));
  }

  static URI uri(URI base, VoiceSpec.Voice voice) {
    return URI.create(
        base
            + "/v1/text-to-speech/"
            + URLEncoder.encode(voice.voiceId(), StandardCharsets.UTF_8)
            + "/stream?output_format=ulaw_8000");
  }

  String body(VoiceSpec.Voice voice, String languageCode, String text) {
    ObjectNode b = JSON.createObjectNode();
    b.put("text", text);
    b.put("model_id", voice.model() == null ? properties.elevenLabsModel() : voice.model());
    if (languageCode != null && !languageCode.isBlank()) {
      b.put("language_code", languageCode);
    }
    ObjectNode settings = b.putObject("voice_settings");
    settings.put("stability", 0.5);
    settings.put("similarity_boost", 0.75);
    return JSON.writeValueAsString(b);
  }

  /** {@code {"detail":{"status":"invalid_api_key",...}}}, or null for another shape. */
  @Override
  String errorCode(String body) {
    try {
      JsonNode detail = JSON.readTree(body).path("detail");
      return detail.isObject() ? detail.path("status").asString(null) : null;
    } catch (JacksonException e) {
      return null;
    }
  }
}
