package io.parley.llm;

import java.util.Objects;

/**
 * A function the model may call.
 *
 * @param parametersJson a JSON Schema object, as JSON text
 */
public record LlmTool(String name, String description, String parametersJson) {
  public LlmTool {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("A tool needs a name");
    }
    description = description == null ? "" : description;
    Objects.requireNonNull(parametersJson, "parametersJson");
  }
}
