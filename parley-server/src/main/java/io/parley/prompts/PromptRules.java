package io.parley.prompts;

import io.parley.shared.InvalidInputException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a prompt version must satisfy before it is saved. Checking at save time is what lets
 * rendering promise that every placeholder has a value and no {@code {{} survives.
 */
final class PromptRules {

  /** Names filled in by the platform; a prompt may use them but not declare them. */
  static final List<String> BUILT_INS =
      List.of("agent_name", "caller_phone", "callee_phone", "now", "today");

  static final int NAME_MAX = 200;
  static final int DESCRIPTION_MAX = 2_000;
  static final int CONTENT_MAX = 100_000;
  static final int NOTE_MAX = 500;
  static final int VARIABLES_MAX = 100;
  static final int VARIABLE_NAME_MAX = 64;
  static final int VARIABLE_DESCRIPTION_MAX = 500;
  static final int VALUE_MAX = 10_000;

  private PromptRules() {}

  /** A prompt's fields as they will be saved. */
  record Draft(
      String name,
      String description,
      String content,
      List<PromptVariable> variables,
      String note) {}

  /** Throws {@link InvalidInputException} listing every problem of the draft at once. */
  static void check(Draft draft) {
    Map<String, String> errors = new LinkedHashMap<>();
    checkText(errors, "name", draft.name(), NAME_MAX, true);
    checkText(errors, "description", draft.description(), DESCRIPTION_MAX, false);
    checkText(errors, "note", draft.note(), NOTE_MAX, false);
    Set<String> declared = checkVariables(errors, draft.variables());
    if (checkText(errors, "content", draft.content(), CONTENT_MAX, true)) {
      checkContent(errors, draft.content(), declared);
    }
    if (!errors.isEmpty()) {
      throw new InvalidInputException(errors);
    }
  }

  private static Set<String> checkVariables(
      Map<String, String> errors, List<PromptVariable> variables) {
    Set<String> declared = new HashSet<>();
    if (variables == null) {
      return declared;
    }
    if (variables.size() > VARIABLES_MAX) {
      errors.put("variables", "may declare at most " + VARIABLES_MAX + " variables");
      return declared;
    }
    for (int i = 0; i < variables.size(); i++) {
      String path = "variables[" + i + "]";
      PromptVariable variable = variables.get(i);
      if (variable == null) {
        errors.put(path, "must not be null");
        continue;
      }
      String name = variable.name();
      if (name == null || name.isBlank()) {
        errors.put(path + ".name", "must not be blank");
      } else if (name.length() > VARIABLE_NAME_MAX || !Template.NAME.matcher(name).matches()) {
        errors.put(
            path + ".name",
            "must be at most "
                + VARIABLE_NAME_MAX
                + " lower-case letters, digits and underscores, starting with a letter");
      } else if (BUILT_INS.contains(name)) {
        errors.put(path + ".name", "'" + name + "' is built in and cannot be declared");
      } else if (!declared.add(name)) {
        errors.put(path + ".name", "'" + name + "' is declared twice");
      }
      if (variable.required() && variable.defaultValue() != null) {
        errors.put(
            path + ".defaultValue",
            "a required variable cannot have a default; make it optional or drop the default");
      }
      checkText(errors, path + ".defaultValue", variable.defaultValue(), VALUE_MAX, false);
      checkText(
          errors, path + ".description", variable.description(), VARIABLE_DESCRIPTION_MAX, false);
    }
    return declared;
  }

  private static void checkContent(
      Map<String, String> errors, String content, Set<String> declared) {
    Template template;
    try {
      template = Template.parse(content);
    } catch (Template.SyntaxError e) {
      errors.put("content", e.getMessage());
      return;
    }
    List<String> undeclared = new ArrayList<>();
    for (String name : template.placeholderNames()) {
      if (!declared.contains(name) && !BUILT_INS.contains(name)) {
        undeclared.add(name);
      }
    }
    if (!undeclared.isEmpty()) {
      errors.put(
          "content",
          "uses undeclared variables: "
              + String.join(", ", undeclared)
              + " (declare them, or use a built-in: "
              + String.join(", ", BUILT_INS)
              + ")");
    }
  }

  /**
   * Checks an optional or required text field; returns true when it is present and acceptable. NUL
   * characters are refused because PostgreSQL cannot store them in text.
   */
  private static boolean checkText(
      Map<String, String> errors, String field, String value, int max, boolean required) {
    if (value == null || (required && value.isBlank())) {
      if (required) {
        errors.put(field, "must not be blank");
      }
      return false;
    }
    if (value.length() > max) {
      errors.put(field, "must be at most " + max + " characters");
      return false;
    }
    if (value.indexOf('\0') >= 0) {
      errors.put(field, "must not contain NUL characters");
      return false;
    }
    return true;
  }
}
