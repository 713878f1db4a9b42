package io.parley.prompts;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A prompt's content split into literal text and {@code {{name}}} placeholders. Every {@code {{}
 * in the content must open a well-formed placeholder, so literal text never contains one, and
 * {@link #render} keeps inserted values from forming one: rendered text never contains {@code {{}.
 */
final class Template {

  /** Variable names: lower-case ASCII letters, digits and underscores, starting with a letter. */
  static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*");

  private static final Pattern PLACEHOLDER_BODY = Pattern.compile(" *([a-z][a-z0-9_]*) *");
  private static final int SHOWN_CHARS = 40;

  sealed interface Part permits Text, Placeholder {}

  record Text(String text) implements Part {}

  record Placeholder(String name) implements Part {}

  private final List<Part> parts;

  private Template(List<Part> parts) {
    this.parts = List.copyOf(parts);
  }

  /**
   * Parses content.
   *
   * @throws SyntaxError naming the first malformed placeholder and its line
   */
  static Template parse(String content) {
    List<Part> parts = new ArrayList<>();
    int position = 0;
    while (position < content.length()) {
      int open = content.indexOf("{{", position);
      if (open < 0) {
        parts.add(new Text(content.substring(position)));
        break;
      }
      if (open > position) {
        parts.add(new Text(content.substring(position, open)));
      }
      int close = content.indexOf("}}", open + 2);
      if (close < 0) {
        throw new SyntaxError("has '{{' without a closing '}}' on line " + lineOf(content, open));
      }
      String body = content.substring(open + 2, close);
      Matcher matcher = PLACEHOLDER_BODY.matcher(body);
      if (!matcher.matches()) {
        throw new SyntaxError(
            "has a malformed placeholder '{{"
                + shorten(body)
                + "}}' on line "
                + lineOf(content, open)
                + ": a placeholder is {{name}} with a name of lower-case letters, digits and"
                + " underscores that starts with a letter");
      }
      parts.add(new Placeholder(matcher.group(1)));
      position = close + 2;
    }
    return new Template(parts);
  }

  List<Part> parts() {
    return parts;
  }

  /** The distinct placeholder names, in order of first use. */
  Set<String> placeholderNames() {
    Set<String> names = new LinkedHashSet<>();
    for (Part part : parts) {
      if (part instanceof Placeholder(String name)) {
        names.add(name);
      }
    }
    return names;
  }

  /**
   * Fills every placeholder with {@code values.apply(name)}. Values are inserted literally; where
   * two braces would meet (inside a value, or a value next to literal text) a space goes between
   * them, so the output can never contain a placeholder.
   */
  String render(Function<String, String> values) {
    StringBuilder out = new StringBuilder();
    for (Part part : parts) {
      switch (part) {
        case Text(String text) -> appendNeutralised(out, text);
        case Placeholder(String name) -> appendNeutralised(out, values.apply(name));
      }
    }
    return out.toString();
  }

  private static void appendNeutralised(StringBuilder out, String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '{' && !out.isEmpty() && out.charAt(out.length() - 1) == '{') {
        out.append(' ');
      }
      out.append(c);
    }
  }

  private static int lineOf(String content, int index) {
    int line = 1;
    for (int i = 0; i < index; i++) {
      if (content.charAt(i) == '\n') {
        line++;
      }
    }
    return line;
  }

  private static String shorten(String body) {
    String oneLine = body.replace('\n', ' ').replace('\r', ' ');
    return oneLine.length() <= SHOWN_CHARS ? oneLine : oneLine.substring(0, SHOWN_CHARS) + "…";
  }

  /** Content that is not a valid template; the message completes "content ...". */
  static final class SyntaxError extends RuntimeException {
    SyntaxError(String message) {
      super(message);
    }
  }
}
