package io.parley.sim;

import io.parley.sim.llm.LlmSim;
import java.net.URI;

/**
 * The embedding API: starts every simulator on its own port and hands out their URLs, the faults
 * switchboard and the simulators themselves for inspection.
 *
 * <pre>{@code
 * try (Sim sim = Sim.start(SimConfig.defaults())) {
 *   env.put("PARLEY_LLM_GROK_BASE_URL", sim.llmBaseUrl().toString());
 * }
 * }</pre>
 */
public final class Sim implements AutoCloseable {
  private final SimConfig config;
  private final Faults faults = new Faults();
  private final LlmSim llm;

  private Sim(SimConfig config) {
    this.config = config;
    this.llm = new LlmSim(config.llm(), faults, config.clock(), config.host());
  }

  public static Sim start(SimConfig config) {
    return new Sim(config);
  }

  /** The OpenAI-compatible base URL, ending in {@code /v1} (PARLEY_LLM_&lt;ID&gt;_BASE_URL). */
  public URI llmBaseUrl() {
    return llm.baseUrl();
  }

  public LlmSim llm() {
    return llm;
  }

  /** Faults armed at runtime, per simulator and per call. */
  public Faults faults() {
    return faults;
  }

  public SimConfig config() {
    return config;
  }

  @Override
  public void close() {
    llm.close();
  }
}
