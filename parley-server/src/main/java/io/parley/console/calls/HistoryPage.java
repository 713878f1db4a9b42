package io.parley.console.calls;

import io.parley.calls.CallSummary;
import io.parley.shared.Page;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One page of the history as the table shows it: rows, the sortable columns' links and states, the
 * pages before and after.
 */
public record HistoryPage(
    List<Row> rows,
    List<Column> columns,
    long total,
    long first,
    long last,
    String previous,
    String next,
    String export) {

  /** A call in the table. */
  public record Row(
      String id,
      String created,
      String direction,
      String from,
      String to,
      String agent,
      String status,
      String outcome,
      String duration,
      boolean recording) {}

  /**
   * A column heading: {@code sort} the API's name for it, {@code ariaSort} ascending, descending or
   * null, {@code link} the list sorted by it (the other way when it is the sort in force).
   */
  public record Column(String label, String ariaSort, String link) {}

  private static final List<String[]> COLUMNS =
      List.of(
          new String[] {"Created (UTC)", "createdAt"},
          new String[] {"Direction", "direction"},
          new String[] {"From", "from"},
          new String[] {"To", "to"},
          new String[] {"Agent", "agentName"},
          new String[] {"Status", "status"},
          new String[] {"Outcome", "outcome"},
          new String[] {"Duration", "durationSeconds"},
          new String[] {"Recording", "hasRecording"});

  static HistoryPage of(Page<CallSummary> page, HistoryForm form) {
    String sort = form.sortOrDefault();
    List<Column> columns =
        COLUMNS.stream()
            .map(
                c -> {
                  String name = c[1];
                  String state =
                      sort.equals(name)
                          ? "ascending"
                          : sort.equals("-" + name) ? "descending" : null;
                  // First click: newest, longest or latest first for times and numbers.
                  String next =
                      "ascending".equals(state)
                          ? "-" + name
                          : "descending".equals(state) ? name : firstOrder(name);
                  return new Column(c[0], state, link(form, Map.of("sort", next)));
                })
            .toList();
    List<Row> rows =
        page.items().stream()
            .map(
                s ->
                    new Row(
                        s.id().toString(),
                        Formats.time(s.createdAt()),
                        s.direction() == null ? "" : s.direction().wire(),
                        s.from(),
                        s.to(),
                        s.agentName(),
                        s.status() == null ? "" : s.status().wire(),
                        s.outcome() == null ? "" : s.outcome().wire(),
                        Formats.duration(s.durationSeconds()),
                        s.hasRecording()))
            .toList();
    long first = page.total() == 0 ? 0 : (long) page.page() * page.size() + 1;
    long last = (long) page.page() * page.size() + page.items().size();
    String previous =
        page.page() > 0 ? link(form, Map.of("page", Integer.toString(page.page() - 1))) : null;
    String next =
        last < page.total() ? link(form, Map.of("page", Integer.toString(page.page() + 1))) : null;
    Map<String, String> noPage = new HashMap<>();
    noPage.put("page", null);
    noPage.put("size", null);
    return new HistoryPage(
        rows,
        columns,
        page.total(),
        first,
        last,
        previous,
        next,
        form.link("/console/calls/export.csv", noPage));
  }

  private static String firstOrder(String name) {
    return switch (name) {
      case "createdAt", "durationSeconds", "hasRecording" -> "-" + name;
      default -> name;
    };
  }

  /** A link to the list with changes; a new sort goes back to the first page. */
  private static String link(HistoryForm form, Map<String, String> changes) {
    Map<String, String> all = new HashMap<>(changes);
    if (changes.containsKey("sort")) {
      all.put("page", null);
    }
    return form.link("/console/calls", all);
  }
}
