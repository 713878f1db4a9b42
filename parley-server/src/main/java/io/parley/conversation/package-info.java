/**
 * One CallSession per live call: turn-taking, barge-in, the tool loop, pacing and marks. Its {@code
 * audio} package holds the pure-Java DSP the call needs.
 */
@ApplicationModule(
    allowedDependencies = {
      "shared",
      "telephony",
      "telephony :: media-streams",
      "calls",
      "agents",
      "prompts",
      "compliance",
      "llm",
      "stt",
      "tts",
      "media"
    })
package io.parley.conversation;

import org.springframework.modulith.ApplicationModule;
