package io.parley.sms;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The keywords an inbound text can be. A keyword counts only as the whole message: any case,
 * surrounding spaces and a trailing full stop or exclamation mark ignored, and "OPT OUT" with any
 * spacing. "Please stop texting me" is a text, not an opt-out; an operator reads it.
 */
enum Keyword {
  /** STOP, STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT, REVOKE, OPTOUT, OPT OUT. */
  OPT_OUT,
  /** START, UNSTOP. */
  OPT_IN,
  /** HELP. */
  HELP;

  static final Set<String> OPT_OUT_WORDS =
      Set.of(
          "STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT", "OPT OUT");
  static final Set<String> OPT_IN_WORDS = Set.of("START", "UNSTOP");
  static final Set<String> HELP_WORDS = Set.of("HELP");

  private static final Pattern SPACES = Pattern.compile("\\s+");
  private static final Pattern TRAILING_MARKS = Pattern.compile("[.!]+$");

  @JsonValue
  String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  static Optional<Keyword> of(String body) {
    if (body == null) {
      return Optional.empty();
    }
    String word =
        SPACES
            .matcher(TRAILING_MARKS.matcher(body.strip()).replaceAll("").strip())
            .replaceAll(" ")
            .toUpperCase(Locale.ROOT);
    if (OPT_OUT_WORDS.contains(word)) {
      return Optional.of(OPT_OUT);
    }
    if (OPT_IN_WORDS.contains(word)) {
      return Optional.of(OPT_IN);
    }
    if (HELP_WORDS.contains(word)) {
      return Optional.of(HELP);
    }
    return Optional.empty();
  }

  static Optional<Keyword> parse(String stored) {
    if (stored == null) {
      return Optional.empty();
    }
    for (Keyword k : values()) {
      if (k.wire().equals(stored)) {
        return Optional.of(k);
      }
    }
    return Optional.empty();
  }
}
