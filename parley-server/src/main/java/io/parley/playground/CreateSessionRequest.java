package io.parley.playground;

import java.util.Map;

/**
 * {@code POST /api/playground/sessions}: an agent, or a prompt and a model. Fields arrive as text
 * and are checked by {@link PlaygroundService}, so every problem names its field.
 *
 * @param agentId the agent to try: its prompt, model, greeting and tools
 * @param promptId instead of an agent: the prompt to try (no greeting, no tools)
 * @param promptVersion a version of the prompt (the agent's or {@code promptId}'s); default the
 *     agent's pinned version, else the current one
 * @param provider the LLM provider id; default the agent's, else {@code xai}
 * @param model the model; default the agent's; required with {@code promptId}
 * @param temperature 0 to 2; default the agent's, else the provider's
 * @param variables lead variables the prompt is rendered with (text, number or boolean values);
 *     {@code phone} (E.164) stands for the number called, {@code timezone} for the lead's zone
 */
record CreateSessionRequest(
    String agentId,
    String promptId,
    Integer promptVersion,
    String provider,
    String model,
    Double temperature,
    Map<String, Object> variables) {}
