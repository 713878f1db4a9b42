package io.parley.sim.llm;

import tools.jackson.databind.JsonNode;

/**
 * A chat completion request as the simulator received it.
 *
 * @param user the request's {@code user} field, which links it to a call (null if absent)
 * @param atMillis arrival time on the simulator's clock
 */
public record LlmRequest(String user, String model, boolean stream, JsonNode body, long atMillis) {}
