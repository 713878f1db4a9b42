package io.parley.prompts;

import java.util.Optional;
import java.util.UUID;

/**
 * What other features may ask about prompts: agents check the prompt version they bind to, and a
 * call renders that exact version with its lead's data and stores the version number it used.
 */
public interface PromptCatalog {

  /** True when the prompt exists in the organisation and is not deleted. */
  boolean exists(UUID organisationId, UUID promptId);

  /** True when the prompt exists, is not deleted, and has a version with this number. */
  boolean hasVersion(UUID organisationId, UUID promptId, int versionNumber);

  /** The current version number of a prompt that exists and is not deleted. */
  Optional<Integer> currentVersion(UUID organisationId, UUID promptId);

  /**
   * One version, also of a deleted prompt: versions are history, and a call made earlier must stay
   * explainable.
   */
  Optional<PromptVersion> findVersion(UUID organisationId, UUID promptId, int versionNumber);

  /**
   * Renders a version of a prompt that is not deleted.
   *
   * @throws io.parley.shared.NotFoundException when the prompt or version does not exist
   * @throws io.parley.shared.InvalidInputException naming each missing required variable (as {@code
   *     variables.<name>}) or bad time zone or phone number
   */
  RenderedPrompt render(UUID organisationId, UUID promptId, int versionNumber, RenderInput input);
}
