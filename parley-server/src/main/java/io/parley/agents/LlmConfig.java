package io.parley.agents;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * The language model. Only the provider id is stored: keys live in the environment.
 *
 * @param provider an LLM provider id; default {@code xai}
 * @param model the model name at that provider
 * @param temperature sampling temperature from 0 to 2; default 0.7
 */
public record LlmConfig(
    @NotBlank @Size(max = 64) String provider,
    @NotBlank @Size(max = 200) String model,
    @NotNull @DecimalMin("0.0") @DecimalMax("2.0") Double temperature) {

  public static final String DEFAULT_PROVIDER = "xai";
  public static final double DEFAULT_TEMPERATURE = 0.7;

  public LlmConfig {
    provider = provider == null ? DEFAULT_PROVIDER : provider;
    temperature = temperature == null ? DEFAULT_TEMPERATURE : temperature;
  }
}
