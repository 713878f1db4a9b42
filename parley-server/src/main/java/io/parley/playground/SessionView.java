package io.parley.playground;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A playground session as the API shows it.
 *
 * @param agentId the agent tried, or null for a prompt and a model
 * @param tools the tools the model is offered (dry run), by name
 * @param pendingMessage a message waiting for its reply, or null
 * @param answering whether its reply is being streamed now
 * @param ended how the call would have ended, once a tool ended it
 * @param expiresAt when the session goes if unused (30 minutes after its last use)
 */
record SessionView(
    UUID id,
    UUID agentId,
    UUID promptId,
    int promptVersion,
    String provider,
    String model,
    Double temperature,
    Map<String, String> variables,
    String systemPrompt,
    List<String> tools,
    List<TranscriptEntry> transcript,
    String pendingMessage,
    boolean answering,
    Ending ended,
    Instant createdAt,
    Instant lastUsedAt,
    Instant expiresAt) {}
