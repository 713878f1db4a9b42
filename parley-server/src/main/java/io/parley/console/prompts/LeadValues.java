package io.parley.console.prompts;

import java.util.LinkedHashMap;
import java.util.Map;

/** Lead values typed one per line as {@code name=value}; lines without {@code =} are skipped. */
final class LeadValues {

  private LeadValues() {}

  static Map<String, String> parse(String text) {
    Map<String, String> values = new LinkedHashMap<>();
    for (String line : text.split("\\R")) {
      int equals = line.indexOf('=');
      if (equals > 0) {
        values.put(line.substring(0, equals).strip(), line.substring(equals + 1).strip());
      }
    }
    return values;
  }
}
