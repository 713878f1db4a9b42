package io.parley.campaigns;

import io.parley.shared.InvalidInputException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What each column of a lead file holds, from its header line and the upload's header mapping.
 * Header names are compared without case, with spaces and dashes read as underscores ({@code First
 * Name} is {@code first_name}). A mapping renames a file's column to one of the known fields
 * ({@code Mobile → phone}). Every other column becomes a prompt variable of the lead, under its
 * normalised name.
 *
 * @param width how many columns the header has
 * @param fields the column index of each known field present
 * @param variables the other columns: column index to variable name, in file order
 */
record LeadColumns(int width, Map<String, Integer> fields, Map<Integer, String> variables) {

  static final String PHONE = "phone";
  static final String FIRST_NAME = "first_name";
  static final String LAST_NAME = "last_name";
  static final String TIME_ZONE = "time_zone";
  static final String CONSENT_SOURCE = "consent_source";
  static final String CONSENT_AT = "consent_at";
  static final Set<String> KNOWN =
      Set.of(PHONE, FIRST_NAME, LAST_NAME, TIME_ZONE, CONSENT_SOURCE, CONSENT_AT);

  /** At most this many columns: a lead file is a handful; more is a mistake or an attack. */
  static final int MAX_COLUMNS = 100;

  /** A prompt variable's name, as templates accept it. */
  private static final Pattern VARIABLE = Pattern.compile("[a-z][a-z0-9_]{0,63}");

  LeadColumns {
    fields = Map.copyOf(fields);
    variables = new LinkedHashMap<>(variables);
  }

  /**
   * Reads the header.
   *
   * @param mapping file column name to known field, from the request (already normalised)
   * @throws InvalidInputException naming {@code file} (or {@code map}) when the header cannot be
   *     used: no phone column, a column named twice, a column whose name cannot be a variable
   */
  static LeadColumns of(List<String> header, Map<String, String> mapping) {
    if (header.size() > MAX_COLUMNS) {
      throw new InvalidInputException(
          "file", "has " + header.size() + " columns; at most " + MAX_COLUMNS + " are read");
    }
    Map<String, Integer> fields = new HashMap<>();
    Map<Integer, String> variables = new LinkedHashMap<>();
    Map<String, Integer> seen = new HashMap<>();
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < header.size(); i++) {
      String name = normalise(header.get(i));
      if (name.isEmpty()) {
        problems.add("column " + (i + 1) + " has no name in the header line");
        continue;
      }
      String target = mapping.getOrDefault(name, name);
      Integer earlier = seen.putIfAbsent(target, i);
      if (earlier != null) {
        problems.add("columns " + (earlier + 1) + " and " + (i + 1) + " are both " + target);
        continue;
      }
      if (KNOWN.contains(target)) {
        fields.put(target, i);
      } else if (VARIABLE.matcher(target).matches()) {
        variables.put(i, target);
      } else {
        problems.add(
            "column "
                + (i + 1)
                + " ("
                + header.get(i).strip()
                + ") cannot be a prompt variable: a name starts with a letter and holds letters,"
                + " digits and underscores (rename it, or map it with map=<column>:<field>)");
      }
    }
    List<String> names = header.stream().map(LeadColumns::normalise).toList();
    for (String from : mapping.keySet()) {
      if (!names.contains(from)) {
        problems.add("the mapping names a column " + from + " that the header does not have");
      }
    }
    if (!fields.containsKey(PHONE) && problems.isEmpty()) {
      problems.add(
          "the header has no phone column (name one phone, or map yours with map=<column>:phone)");
    }
    if (!problems.isEmpty()) {
      throw new InvalidInputException("file", "header line: " + String.join("; ", problems));
    }
    return new LeadColumns(header.size(), fields, variables);
  }

  /** {@code " First Name "} → {@code first_name}. */
  static String normalise(String header) {
    return header.strip().toLowerCase(Locale.ROOT).replaceAll("[\\s\\-]+", "_");
  }

  /** The field's cell in a row, stripped; null when the column is absent or the cell blank. */
  String cell(List<String> row, String field) {
    Integer index = fields.get(field);
    if (index == null || index >= row.size()) {
      return null;
    }
    String value = row.get(index).strip();
    return value.isEmpty() ? null : value;
  }
}
