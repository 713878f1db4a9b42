package io.parley.stt;

import java.util.List;
import java.util.Objects;

/**
 * How a call's audio is to be recognised. The adapter always asks for μ-law 8 kHz mono (Twilio's
 * audio, sent as received), punctuation and smart formatting.
 *
 * @param providerId the STT provider id ({@code deepgram})
 * @param model the recognition model: {@code nova-3} (default), {@code nova-3-medical}, ...
 * @param language the spoken language, a BCP-47 tag such as {@code en-US} or {@code hi}; {@code
 *     multi} for code switching
 * @param endpointingMs silence that ends an utterance ({@code speech_final}); 0 turns endpointing
 *     off
 * @param utteranceEndMs word gap after which {@code UtteranceEnd} is sent; 0 turns it off,
 *     otherwise at least 1000 and it needs interim results
 * @param interimResults whether {@link SttEvent.Partial}s are sent
 * @param vadEvents whether {@link SttEvent.SpeechStarted}s are sent
 * @param keyterms words to boost (names, products); Nova-3 only
 * @param callSid the Twilio CallSid, sent as {@code extra=call_sid:<CallSid>} so provider-side logs
 *     link to the call; null outside a phone call
 */
public record SttSpec(
    String providerId,
    String model,
    String language,
    int endpointingMs,
    int utteranceEndMs,
    boolean interimResults,
    boolean vadEvents,
    List<String> keyterms,
    String callSid) {

  public static final String DEEPGRAM = "deepgram";
  public static final String DEFAULT_MODEL = "nova-3";
  public static final String DEFAULT_LANGUAGE = "en-US";
  public static final int DEFAULT_ENDPOINTING_MS = 300;
  public static final int DEFAULT_UTTERANCE_END_MS = 1000;

  /** Deepgram's documented minimum for {@code utterance_end_ms}. */
  public static final int MIN_UTTERANCE_END_MS = 1000;

  public SttSpec {
    providerId = blankToDefault(providerId, DEEPGRAM);
    model = blankToDefault(model, DEFAULT_MODEL);
    language = blankToDefault(language, DEFAULT_LANGUAGE);
    keyterms = keyterms == null ? List.of() : List.copyOf(keyterms);
    if (endpointingMs < 0) {
      throw new IllegalArgumentException("endpointingMs must be 0 (off) or positive");
    }
    if (utteranceEndMs != 0 && utteranceEndMs < MIN_UTTERANCE_END_MS) {
      throw new IllegalArgumentException(
          "utteranceEndMs must be 0 (off) or at least " + MIN_UTTERANCE_END_MS);
    }
    if (utteranceEndMs > 0 && !interimResults) {
      throw new IllegalArgumentException("utteranceEndMs needs interimResults");
    }
    if (keyterms.stream().anyMatch(t -> t == null || t.isBlank())) {
      throw new IllegalArgumentException("keyterms must not be blank");
    }
    callSid = callSid == null || callSid.isBlank() ? null : callSid.strip();
  }

  /**
   * Deepgram {@code nova-3}, {@code en-US}, 300 ms endpointing, utterance end after 1 s, interim
   * results and VAD events on: what a voice agent needs for turn-taking and barge-in.
   */
  public static SttSpec forCall(String callSid) {
    return new SttSpec(
        DEEPGRAM,
        DEFAULT_MODEL,
        DEFAULT_LANGUAGE,
        DEFAULT_ENDPOINTING_MS,
        DEFAULT_UTTERANCE_END_MS,
        true,
        true,
        List.of(),
        callSid);
  }

  public SttSpec withProvider(String newProviderId) {
    return new SttSpec(
        newProviderId,
        model,
        language,
        endpointingMs,
        utteranceEndMs,
        interimResults,
        vadEvents,
        keyterms,
        callSid);
  }

  public SttSpec withModel(String newModel) {
    return new SttSpec(
        providerId,
        newModel,
        language,
        endpointingMs,
        utteranceEndMs,
        interimResults,
        vadEvents,
        keyterms,
        callSid);
  }

  public SttSpec withLanguage(String newLanguage) {
    return new SttSpec(
        providerId,
        model,
        newLanguage,
        endpointingMs,
        utteranceEndMs,
        interimResults,
        vadEvents,
        keyterms,
        callSid);
  }

  /** Endpointing and utterance end together, as an agent's turn-taking settings give them. */
  public SttSpec withTurnTaking(int newEndpointingMs, int newUtteranceEndMs) {
    return new SttSpec(
        providerId,
        model,
        language,
        newEndpointingMs,
        newUtteranceEndMs,
        interimResults,
        vadEvents,
        keyterms,
        callSid);
  }

  public SttSpec withKeyterms(List<String> newKeyterms) {
    return new SttSpec(
        providerId,
        model,
        language,
        endpointingMs,
        utteranceEndMs,
        interimResults,
        vadEvents,
        newKeyterms,
        callSid);
  }

  private static String blankToDefault(String value, String fallback) {
    return value == null || value.isBlank() ? Objects.requireNonNull(fallback) : value.strip();
  }
}
