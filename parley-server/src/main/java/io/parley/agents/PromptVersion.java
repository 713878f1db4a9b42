package io.parley.agents;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Which version of its prompt an agent speaks: a pinned version number, or {@code "latest"} (the
 * newest version at the time a call starts). In JSON it is either a number or the string {@code
 * "latest"}; null or absent means latest.
 *
 * @param number the pinned version, or null for latest
 */
public record PromptVersion(Integer number) {

  public static final PromptVersion LATEST = new PromptVersion(null);
  private static final String LATEST_TEXT = "latest";

  public static PromptVersion pinned(int number) {
    return new PromptVersion(number);
  }

  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  static PromptVersion parse(Object value) {
    return switch (value) {
      case null -> LATEST;
      case Integer number -> new PromptVersion(number);
      case String text when text.equalsIgnoreCase(LATEST_TEXT) -> LATEST;
      default -> throw new IllegalArgumentException("must be a version number or \"latest\"");
    };
  }

  public boolean isLatest() {
    return number == null;
  }

  @JsonValue
  Object json() {
    return number == null ? LATEST_TEXT : number;
  }
}
