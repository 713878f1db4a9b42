package io.parley.prompts;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The data a prompt is rendered with: the lead's values plus what the call knows about itself.
 *
 * @param variables values for declared variables by name (extra keys, e.g. unused lead columns, are
 *     ignored); may be null
 * @param timeZone the lead's IANA time zone, or null
 * @param agentName fills {@code {{agent_name}}}, or null
 * @param agentTimeZone the agent's IANA time zone, the last fallback before UTC, or null
 * @param callerPhone E.164 number that places the call; fills {@code {{caller_phone}}}, or null
 * @param calleePhone E.164 number being called; fills {@code {{callee_phone}}} and, without a
 *     {@code timeZone}, picks the zone when the number maps to exactly one; or null
 */
public record RenderInput(
    Map<String, String> variables,
    String timeZone,
    String agentName,
    String agentTimeZone,
    String callerPhone,
    String calleePhone) {

  public RenderInput {
    // Copy while keeping null values out: Map.copyOf rejects them, and null means "no value".
    LinkedHashMap<String, String> copy = new LinkedHashMap<>();
    if (variables != null) {
      variables.forEach(
          (name, value) -> {
            if (name != null && value != null) {
              copy.put(name, value);
            }
          });
    }
    variables = Collections.unmodifiableMap(copy);
  }

  /** Input with lead values only. */
  public static RenderInput of(Map<String, String> variables) {
    return new RenderInput(variables, null, null, null, null, null);
  }
}
