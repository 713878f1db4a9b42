package io.parley.sim.admin;

import io.parley.sim.Fault;
import io.parley.sim.Faults;
import io.parley.sim.Json;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.node.ObjectNode;

/**
 * Faults as the admin API writes them: {@code {"type":"ErrorStatus","status":429,
 * "retryAfterMs":200}}, the record's simple name plus its components in milliseconds.
 */
final class FaultJson {
  private FaultJson() {}

  static Fault parse(Map<String, Object> m) {
    Object type = m.get("type");
    if (type == null) {
      throw new IllegalArgumentException("fault.type is required");
    }
    return switch (String.valueOf(type)) {
      case "Latency" -> new Fault.Latency(Duration.ofMillis(number(m, "ms", null)));
      case "ErrorStatus" ->
          new Fault.ErrorStatus(
              (int) number(m, "status", null), Duration.ofMillis(number(m, "retryAfterMs", 1000L)));
      case "DropMidStream" -> new Fault.DropMidStream((int) number(m, "afterChunks", null));
      case "Hang" -> new Fault.Hang();
      case "DuplicateCallbacks" -> new Fault.DuplicateCallbacks();
      case "OutOfOrderCallbacks" -> new Fault.OutOfOrderCallbacks();
      default ->
          throw new IllegalArgumentException(
              "unknown fault.type '"
                  + type
                  + "'; known: Latency, ErrorStatus, DropMidStream, Hang, DuplicateCallbacks,"
                  + " OutOfOrderCallbacks");
    };
  }

  static Faults.Target target(Object value) {
    if (value == null) {
      throw new IllegalArgumentException("target is required: TWILIO, DEEPGRAM, ELEVENLABS or LLM");
    }
    try {
      return Faults.Target.valueOf(String.valueOf(value).toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unknown target '" + value + "'; known: TWILIO, DEEPGRAM, ELEVENLABS, LLM", e);
    }
  }

  static ObjectNode write(Fault fault) {
    ObjectNode j = Json.object().put("type", fault.getClass().getSimpleName());
    switch (fault) {
      case Fault.Latency l -> j.put("ms", l.added().toMillis());
      case Fault.ErrorStatus e ->
          j.put("status", e.status()).put("retryAfterMs", e.retryAfter().toMillis());
      case Fault.DropMidStream d -> j.put("afterChunks", d.afterChunks());
      case Fault.Hang h -> {}
      case Fault.DuplicateCallbacks d -> {}
      case Fault.OutOfOrderCallbacks o -> {}
    }
    return j;
  }

  static ObjectNode write(Faults.View view) {
    ObjectNode j = Json.object().put("target", view.target().name());
    if (view.callId() == null) {
      j.putNull("callSid");
    } else {
      j.put("callSid", view.callId());
    }
    j.set("fault", write(view.fault()));
    j.put("remaining", view.remaining());
    return j;
  }

  private static long number(Map<String, Object> m, String key, Long fallback) {
    Object v = m.get(key);
    if (v instanceof Number n) {
      return n.longValue();
    }
    if (v == null && fallback != null) {
      return fallback;
    }
    throw new IllegalArgumentException("fault." + key + " must be a number");
  }
}
