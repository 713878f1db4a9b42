package io.parley.agents;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/**
 * Answering-machine detection defaults for outbound calls, in Twilio's terms and ranges.
 *
 * @param mode {@code off}, {@code enable} (default: answer as soon as a human or machine is known)
 *     or {@code detect_message_end} (wait for the greeting's beep)
 * @param async detect while the call already runs (default true) instead of before connecting
 * @param timeoutSeconds give up detecting after this long, 3 to 59; default 30
 * @param speechThresholdMs speech longer than this suggests a machine, 1000 to 6000; default 2400
 * @param speechEndThresholdMs silence that ends a greeting, 500 to 5000; default 1200
 * @param silenceTimeoutMs initial silence before answering "unknown", 2000 to 10000; default 5000
 */
public record AmdConfig(
    @NotNull
        @Pattern(
            regexp = "off|enable|detect_message_end",
            message = "must be off, enable or detect_message_end")
        String mode,
    @NotNull Boolean async,
    @NotNull @Min(3) @Max(59) Integer timeoutSeconds,
    @NotNull @Min(1000) @Max(6000) Integer speechThresholdMs,
    @NotNull @Min(500) @Max(5000) Integer speechEndThresholdMs,
    @NotNull @Min(2000) @Max(10000) Integer silenceTimeoutMs) {

  public AmdConfig {
    mode = mode == null ? "enable" : mode;
    async = async == null ? Boolean.TRUE : async;
    timeoutSeconds = timeoutSeconds == null ? 30 : timeoutSeconds;
    speechThresholdMs = speechThresholdMs == null ? 2400 : speechThresholdMs;
    speechEndThresholdMs = speechEndThresholdMs == null ? 1200 : speechEndThresholdMs;
    silenceTimeoutMs = silenceTimeoutMs == null ? 5000 : silenceTimeoutMs;
  }

  static AmdConfig defaults() {
    return new AmdConfig(null, null, null, null, null, null);
  }
}
