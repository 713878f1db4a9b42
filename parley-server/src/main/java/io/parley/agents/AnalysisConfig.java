package io.parley.agents;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * Post-call analysis: when a call with a transcript ends, the agent's model reads the transcript
 * and answers a summary, a sentiment, one of {@code categories} and the fields of {@code schema}
 * (docs/analysis.md).
 *
 * @param enabled analyse the agent's calls; default false
 * @param summary what the summary should say, e.g. "Say whether the patient confirmed"; null for a
 *     plain two or three sentence summary
 * @param categories the labels one of which the model picks for each call, e.g. {@code ["booked",
 *     "not interested"]}; empty (the default) for no category
 * @param schema a JSON Schema (draft 2020-12) of an object whose fields the model fills in from the
 *     call; null for none
 */
public record AnalysisConfig(
    @NotNull Boolean enabled,
    @Size(max = 2000) String summary,
    @NotNull @Size(max = 50) List<@NotBlank @Size(max = 100) String> categories,
    JsonNode schema) {

  public AnalysisConfig {
    enabled = enabled == null ? Boolean.FALSE : enabled;
    // Null elements are kept so that validation can name them rather than crash here.
    categories =
        categories == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(categories));
    schema = schema == null || schema.isNull() ? null : schema;
  }

  static AnalysisConfig defaults() {
    return new AnalysisConfig(null, null, null, null);
  }
}
