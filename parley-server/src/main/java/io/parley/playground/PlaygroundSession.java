package io.parley.playground;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A playground session as stored.
 *
 * @param agentId the agent tried, or null when a prompt version and a model were chosen instead
 * @param agentConfigJson the agent's configuration when the session began (its tools, greeting), or
 *     null without an agent
 * @param temperature the model's temperature, or null for the provider's default
 * @param variables the lead variables the prompt was rendered with
 * @param systemPrompt the rendered instructions the model gets now
 * @param pendingText a message waiting for its reply, or null
 * @param answeringUntil while a reply is being streamed, until when its request holds the session
 * @param ended how a call would have ended, once a tool ended it; null while it goes on
 */
record PlaygroundSession(
    UUID id,
    UUID organisationId,
    UUID ownerId,
    UUID agentId,
    String agentConfigJson,
    UUID promptId,
    int promptVersion,
    String provider,
    String model,
    Double temperature,
    Map<String, String> variables,
    String systemPrompt,
    List<TranscriptEntry> transcript,
    String pendingText,
    Instant answeringUntil,
    Ending ended,
    Instant createdAt,
    Instant lastUsedAt) {

  /** Whether a request is streaming a reply now. */
  boolean answering(Instant now) {
    return answeringUntil != null && answeringUntil.isAfter(now);
  }
}
