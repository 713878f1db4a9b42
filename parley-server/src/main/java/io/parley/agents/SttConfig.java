package io.parley.agents;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/**
 * Speech recognition.
 *
 * @param provider an STT provider id; default {@code deepgram}
 * @param model the recognition model, such as {@code nova-3} (default) or {@code nova-3-medical}
 */
public record SttConfig(
    @NotBlank @Size(max = 64) String provider, @NotBlank @Size(max = 200) String model) {

  public static final String DEFAULT_PROVIDER = "deepgram";
  public static final String DEFAULT_MODEL = "nova-3";

  public SttConfig {
    provider = provider == null ? DEFAULT_PROVIDER : provider;
    model = model == null ? DEFAULT_MODEL : model;
  }

  static SttConfig defaults() {
    return new SttConfig(null, null);
  }
}
