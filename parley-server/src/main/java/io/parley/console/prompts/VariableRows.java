package io.parley.console.prompts;

import io.parley.prompts.PromptVariable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The editor's variable rows, read from the form ({@code variables[i].name}, {@code .required},
 * {@code .defaultValue}, {@code .description}). Wholly blank rows are the editor's spare rows and
 * are dropped; the service then names errors by the index in the shorter list, so {@link
 * #formErrors} maps them back to the row the user typed in.
 */
record VariableRows(List<Row> rows) {

  /** How many empty rows the editor offers beyond the declared variables. */
  static final int SPARE = 2;

  /** Beyond this many rows the form is not read further (the service allows 100 variables). */
  static final int MAX_ROWS = 102;

  private static final Pattern INDEXED = Pattern.compile("^variables\\[(\\d+)](.*)$");

  /** One row as typed; {@code index} is its place in the form. */
  record Row(int index, String name, boolean required, String defaultValue, String description) {

    boolean blank() {
      return name.isBlank() && !required && defaultValue.isBlank() && description.isBlank();
    }
  }

  static VariableRows fromForm(Map<String, String> form) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < MAX_ROWS; i++) {
      String prefix = "variables[" + i + "].";
      if (!form.containsKey(prefix + "name")) {
        break;
      }
      rows.add(
          new Row(
              i,
              form.getOrDefault(prefix + "name", "").strip(),
              form.containsKey(prefix + "required"),
              form.getOrDefault(prefix + "defaultValue", ""),
              form.getOrDefault(prefix + "description", "")));
    }
    return new VariableRows(rows);
  }

  static VariableRows of(List<PromptVariable> variables) {
    List<Row> rows = new ArrayList<>();
    for (PromptVariable v : variables) {
      rows.add(
          new Row(
              rows.size(),
              v.name(),
              v.required(),
              v.defaultValue() == null ? "" : v.defaultValue(),
              v.description() == null ? "" : v.description()));
    }
    return new VariableRows(rows);
  }

  /** The rows as shown: the filled ones, then the spare blank rows. */
  List<Row> withSpares() {
    List<Row> shown = new ArrayList<>(filled());
    List<Row> renumbered = new ArrayList<>();
    for (Row row : shown) {
      renumbered.add(
          new Row(
              renumbered.size(),
              row.name(),
              row.required(),
              row.defaultValue(),
              row.description()));
    }
    for (int i = 0; i < SPARE; i++) {
      renumbered.add(new Row(renumbered.size(), "", false, "", ""));
    }
    return renumbered;
  }

  /** What the service is given: filled rows only, blank optional texts as absent. */
  List<PromptVariable> variables() {
    return filled().stream()
        .map(
            row ->
                new PromptVariable(
                    row.name(),
                    row.required(),
                    row.defaultValue().isEmpty() ? null : row.defaultValue(),
                    row.description().isBlank() ? null : row.description()))
        .toList();
  }

  /**
   * The service's errors keyed by the rows as {@link #withSpares} shows them: its index into the
   * filled rows is the shown row's index too.
   */
  static Map<String, String> formErrors(Map<String, String> errors) {
    Map<String, String> mapped = new LinkedHashMap<>();
    errors.forEach(
        (field, message) -> {
          Matcher indexed = INDEXED.matcher(field);
          mapped.put(
              indexed.matches() && indexed.group(2).isEmpty() ? field + ".name" : field, message);
        });
    return mapped;
  }

  private List<Row> filled() {
    return rows.stream().filter(row -> !row.blank()).toList();
  }
}
