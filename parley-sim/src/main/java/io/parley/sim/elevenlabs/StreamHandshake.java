package io.parley.sim.elevenlabs;

import tools.jackson.databind.JsonNode;

/**
 * What the handshake of a {@code stream-input} or {@code multi-stream-input} socket settled: the
 * voice, {@code auto_mode}, the inactivity timeout and whether the API key came with it. A client
 * that sent no key in the handshake (browsers cannot set the header) must send it in its first
 * message instead.
 */
record StreamHandshake(
    String voiceId, boolean autoMode, long inactivityMillis, boolean keyChecked, String apiKey) {

  /**
   * Whether the socket's first message may open it: the key was checked, or this message has it.
   */
  boolean acceptsKeyOf(JsonNode firstMessage) {
    if (keyChecked) {
      return true;
    }
    String key =
        firstMessage.path("xi-api-key").asString(firstMessage.path("xi_api_key").asString(null));
    return apiKey.equals(key);
  }
}
