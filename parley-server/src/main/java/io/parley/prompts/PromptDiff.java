package io.parley.prompts;

import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * The content change between two versions of a prompt.
 *
 * @param unified the diff in unified format ({@code ---}, {@code +++}, {@code @@} hunks), empty
 *     when the contents are equal
 * @param variablesChanged whether the declared variables differ between the two versions
 */
public record PromptDiff(
    UUID promptId,
    int from,
    int to,
    int added,
    int removed,
    boolean variablesChanged,
    String unified,
    List<Hunk> hunks) {

  /** A run of changed lines with context; line numbers are 1-based. */
  public record Hunk(
      String header, int fromStart, int fromCount, int toStart, int toCount, List<Line> lines) {}

  /**
   * One line of a hunk.
   *
   * @param type {@code context}, {@code removed} or {@code added}
   * @param fromLine its number in the older side, or null for an added line
   * @param toLine its number in the newer side, or null for a removed line
   */
  public record Line(String type, String text, Integer fromLine, Integer toLine) {}

  static PromptDiff of(UUID promptId, PromptVersion from, PromptVersion to) {
    LineDiff.Result result =
        LineDiff.diff(
            "version " + from.number(), "version " + to.number(), from.content(), to.content(), 3);
    List<Hunk> hunks =
        result.hunks().stream()
            .map(
                hunk ->
                    new Hunk(
                        hunk.header(),
                        hunk.fromStart(),
                        hunk.fromCount(),
                        hunk.toStart(),
                        hunk.toCount(),
                        hunk.edits().stream().map(PromptDiff::line).toList()))
            .toList();
    return new PromptDiff(
        promptId,
        from.number(),
        to.number(),
        result.added(),
        result.removed(),
        !from.variables().equals(to.variables()),
        result.unified(),
        hunks);
  }

  private static Line line(LineDiff.Edit edit) {
    return new Line(
        edit.kind().name().toLowerCase(Locale.ROOT),
        edit.text(),
        edit.fromLine() == 0 ? null : edit.fromLine(),
        edit.toLine() == 0 ? null : edit.toLine());
  }
}
