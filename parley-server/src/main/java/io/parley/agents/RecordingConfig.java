package io.parley.agents;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/**
 * Call recording.
 *
 * @param enabled record the call; default true
 * @param channels {@code mono} (default) or {@code dual} (caller and agent on separate channels)
 */
public record RecordingConfig(
    @NotNull Boolean enabled,
    @NotNull @Pattern(regexp = "mono|dual", message = "must be mono or dual") String channels) {

  public RecordingConfig {
    enabled = enabled == null ? Boolean.TRUE : enabled;
    channels = channels == null ? "mono" : channels;
  }

  static RecordingConfig defaults() {
    return new RecordingConfig(null, null);
  }
}
