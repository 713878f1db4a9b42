package io.parley.prompts;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One immutable version of a prompt: what a call used is this exact content with these declared
 * variables, and it never changes afterwards.
 *
 * @param promptId the prompt this version belongs to
 * @param number 1 for the first version, then one more for each edit
 * @param content the template text with {@code {{variable}}} placeholders
 * @param variables the variables declared at this version
 * @param note what the author said about the change, or null
 * @param authorId the user who saved it (no foreign key: history outlives accounts)
 * @param authorEmail that user's e-mail at the time
 * @param createdAt when it was saved
 */
public record PromptVersion(
    UUID promptId,
    int number,
    String content,
    List<PromptVariable> variables,
    String note,
    UUID authorId,
    String authorEmail,
    Instant createdAt) {

  public PromptVersion {
    variables = List.copyOf(variables);
  }
}
