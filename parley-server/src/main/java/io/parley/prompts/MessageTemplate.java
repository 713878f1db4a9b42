package io.parley.prompts;

import java.util.Map;
import java.util.Optional;

/**
 * A short text other features fill with a call's values the way prompts are filled (a voicemail
 * message): {@code {{name}}} placeholders, values inserted literally and never forming a
 * placeholder. Unlike a prompt it declares no variables, so a name without a value renders empty,
 * as an inbound call's missing variable does.
 */
public final class MessageTemplate {

  private MessageTemplate() {}

  /**
   * Why {@code text} is not a template, completing "the field ..." (a {@code {{} that opens no
   * well-formed placeholder), or empty when it is one.
   */
  public static Optional<String> problem(String text) {
    try {
      Template.parse(text);
      return Optional.empty();
    } catch (Template.SyntaxError e) {
      return Optional.of(e.getMessage());
    }
  }

  /**
   * {@code text} with each placeholder replaced by its value in {@code values}, or by nothing when
   * it has none. Text that is not a template (saved before its placeholders were read) is returned
   * as written.
   */
  public static String render(String text, Map<String, String> values) {
    Template template;
    try {
      template = Template.parse(text);
    } catch (Template.SyntaxError e) {
      return text;
    }
    return template.render(name -> values.getOrDefault(name, ""));
  }
}
