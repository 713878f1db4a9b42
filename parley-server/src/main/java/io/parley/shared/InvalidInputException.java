package io.parley.shared;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Input that is well-formed but not acceptable; answered with 422 and one message per bad field.
 */
public class InvalidInputException extends RuntimeException {

  private final Map<String, String> fieldErrors;

  public InvalidInputException(Map<String, String> fieldErrors) {
    super(describe(fieldErrors));
    this.fieldErrors = new LinkedHashMap<>(fieldErrors);
  }

  public InvalidInputException(String field, String message) {
    this(Map.of(field, message));
  }

  /** Field name (a JSON path such as {@code tools[1].schema}) to a human-readable message. */
  public Map<String, String> fieldErrors() {
    return Map.copyOf(fieldErrors);
  }

  private static String describe(Map<String, String> errors) {
    StringBuilder text = new StringBuilder("Invalid input: ");
    errors.forEach((field, message) -> text.append(field).append(' ').append(message).append("; "));
    return text.substring(0, text.length() - 2);
  }
}
