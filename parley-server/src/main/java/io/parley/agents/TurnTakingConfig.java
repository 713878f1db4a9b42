package io.parley.agents;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * When the caller's turn ends and when the caller may interrupt the agent.
 *
 * @param endpointingMs silence after speech that ends an utterance, 10 to 10000; default 300
 * @param utteranceEndMs gap between words that ends a turn even in noise, 1000 to 5000; default
 *     1000
 * @param bargeInMinWords words the caller must say before the agent stops talking, 0 to 10; default
 *     2
 * @param bargeInMinSpeechMs speech the caller must make before the agent stops talking, 0 to 5000;
 *     default 300
 * @param backchannels short phrases ("uh-huh", "okay") that never interrupt the agent
 */
public record TurnTakingConfig(
    @NotNull @Min(10) @Max(10000) Integer endpointingMs,
    @NotNull @Min(1000) @Max(5000) Integer utteranceEndMs,
    @NotNull @Min(0) @Max(10) Integer bargeInMinWords,
    @NotNull @Min(0) @Max(5000) Integer bargeInMinSpeechMs,
    @NotNull @Size(max = 50) List<@NotBlank @Size(max = 50) String> backchannels) {

  static final List<String> DEFAULT_BACKCHANNELS =
      List.of("uh-huh", "mm-hmm", "yeah", "yes", "okay", "right", "sure");

  public TurnTakingConfig {
    endpointingMs = endpointingMs == null ? 300 : endpointingMs;
    utteranceEndMs = utteranceEndMs == null ? 1000 : utteranceEndMs;
    bargeInMinWords = bargeInMinWords == null ? 2 : bargeInMinWords;
    bargeInMinSpeechMs = bargeInMinSpeechMs == null ? 300 : bargeInMinSpeechMs;
    // Null elements are kept so that validation can name them rather than crash here.
    backchannels =
        backchannels == null
            ? DEFAULT_BACKCHANNELS
            : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(backchannels));
  }

  static TurnTakingConfig defaults() {
    return new TurnTakingConfig(null, null, null, null, null);
  }
}
