package io.parley.prompts;

import java.time.Instant;
import java.util.UUID;

/** A prompt in a list: no content, just enough to pick one. */
public record PromptSummary(
    UUID id,
    String name,
    String description,
    int version,
    Instant createdAt,
    String createdByEmail,
    Instant updatedAt) {

  static PromptSummary of(PromptRepository.PromptRow row) {
    return new PromptSummary(
        row.id(),
        row.name(),
        row.description(),
        row.currentVersion(),
        row.createdAt(),
        row.createdByEmail(),
        row.updatedAt());
  }
}
