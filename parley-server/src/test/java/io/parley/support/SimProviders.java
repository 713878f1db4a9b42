package io.parley.support;

import io.parley.sim.Sim;
import org.springframework.test.context.DynamicPropertyRegistry;

/** Points Parley's provider settings at an embedded parley-sim, as an operator's env would. */
public final class SimProviders {

  private SimProviders() {}

  /** The Twilio account and REST API only. */
  public static void twilio(DynamicPropertyRegistry registry, Sim sim) {
    registry.add("PARLEY_TWILIO_API_URL", () -> sim.twilioApiUrl().toString());
    registry.add("PARLEY_TWILIO_ACCOUNT_SID", () -> sim.twilio().accountSid());
    registry.add("PARLEY_TWILIO_AUTH_TOKEN", () -> sim.twilio().authToken());
  }

  /** Twilio, Deepgram, ElevenLabs and the model (provider id {@code xai}). */
  public static void all(DynamicPropertyRegistry registry, Sim sim) {
    twilio(registry, sim);
    registry.add("PARLEY_DEEPGRAM_URL", () -> sim.deepgramUrl().toString());
    registry.add("PARLEY_DEEPGRAM_API_KEY", () -> sim.config().deepgram().apiKey());
    registry.add("PARLEY_ELEVENLABS_URL", () -> sim.elevenLabsUrl().toString());
    registry.add("PARLEY_ELEVENLABS_API_KEY", () -> sim.config().elevenLabs().apiKey());
    registry.add("PARLEY_LLM_XAI_BASE_URL", () -> sim.llmBaseUrl().toString());
    registry.add("PARLEY_LLM_XAI_API_KEY", () -> sim.llm().apiKey());
  }
}
