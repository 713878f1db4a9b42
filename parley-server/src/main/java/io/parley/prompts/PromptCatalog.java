package io.parley.prompts;

import java.util.UUID;

/** What other features may ask about prompts (agents check the prompt they bind to). */
public interface PromptCatalog {

  /** True when the prompt exists in the organisation and is not deleted. */
  boolean exists(UUID organisationId, UUID promptId);

  /** True when the prompt exists, is not deleted, and has a version with this number. */
  boolean hasVersion(UUID organisationId, UUID promptId, int versionNumber);
}
