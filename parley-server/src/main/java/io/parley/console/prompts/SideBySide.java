package io.parley.console.prompts;

import io.parley.prompts.PromptDiff;
import java.util.ArrayList;
import java.util.List;

/**
 * A diff's hunks laid out in two columns, the older version left: context lines on both sides, a
 * run of removed lines paired row by row with the added lines that follow it.
 */
record SideBySide(List<Block> blocks) {

  /** One hunk: its {@code @@} header and rows. */
  record Block(String header, List<Row> rows) {}

  /** One row; a null side is empty there (a line only the other version has). */
  record Row(Cell left, Cell right) {}

  /** A line of one side: its number, text and {@code context}, {@code removed} or {@code added}. */
  record Cell(int number, String text, String type) {}

  static SideBySide of(PromptDiff diff) {
    List<Block> blocks = new ArrayList<>();
    for (PromptDiff.Hunk hunk : diff.hunks()) {
      List<Row> rows = new ArrayList<>();
      List<Cell> removed = new ArrayList<>();
      List<Cell> added = new ArrayList<>();
      for (PromptDiff.Line line : hunk.lines()) {
        switch (line.type()) {
          case "removed" -> removed.add(new Cell(line.fromLine(), line.text(), "removed"));
          case "added" -> added.add(new Cell(line.toLine(), line.text(), "added"));
          default -> {
            pair(rows, removed, added);
            Cell left = new Cell(line.fromLine(), line.text(), "context");
            rows.add(new Row(left, new Cell(line.toLine(), line.text(), "context")));
          }
        }
      }
      pair(rows, removed, added);
      blocks.add(new Block(hunk.header(), rows));
    }
    return new SideBySide(blocks);
  }

  private static void pair(List<Row> rows, List<Cell> removed, List<Cell> added) {
    for (int i = 0; i < Math.max(removed.size(), added.size()); i++) {
      rows.add(
          new Row(
              i < removed.size() ? removed.get(i) : null, i < added.size() ? added.get(i) : null));
    }
    removed.clear();
    added.clear();
  }
}
