package io.parley.agents;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/**
 * The message an outbound call leaves on an answering machine. It is used only when the call's
 * answering-machine detection waits for the end of the greeting ({@code amd.mode} {@code
 * detect_message_end}, asynchronous): then, after the beep, the agent speaks it whole and hangs up.
 * Without it a machine is hung up on in silence.
 *
 * @param message what is left, spoken verbatim in the agent's voice. Telemarketing rules require it
 *     to name the caller (the seller) and give a call-back number: the number is checked ({@link
 *     VoicemailRules}, at validation); the name cannot be, so whoever writes it must include it.
 */
public record VoicemailConfig(@NotBlank @Size(max = 1000) String message) {

  public VoicemailConfig {
    message = message == null ? null : message.strip();
  }
}
