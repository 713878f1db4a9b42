package io.parley.prompts;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A prompt with its current version, as the API returns it.
 *
 * @param version the current version number; an edit names it as its {@code baseVersion}
 * @param versionNote the note of the current version
 * @param versionAuthorId who saved the current version
 */
public record PromptDetails(
    UUID id,
    String name,
    String description,
    int version,
    String content,
    List<PromptVariable> variables,
    String versionNote,
    Instant createdAt,
    UUID createdById,
    String createdByEmail,
    Instant updatedAt,
    UUID versionAuthorId,
    String versionAuthorEmail) {

  static PromptDetails of(PromptRepository.PromptRow row, PromptVersion current) {
    return new PromptDetails(
        row.id(),
        row.name(),
        row.description(),
        current.number(),
        current.content(),
        current.variables(),
        current.note(),
        row.createdAt(),
        row.createdById(),
        row.createdByEmail(),
        row.updatedAt(),
        current.authorId(),
        current.authorEmail());
  }
}
