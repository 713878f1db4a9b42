package io.parley.prompts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LineDiffTest {

  @Test
  void equalTextsHaveNoHunks() {
    LineDiff.Result result = LineDiff.diff("a", "b", "x\ny\n", "x\ny\n", 3);

    assertThat(result.hunks()).isEmpty();
    assertThat(result.unified()).isEmpty();
  }

  @Test
  void producesUnifiedOutputWithContext() {
    String from = "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n";
    String to = "1\n2\n3\n4\nfive\n6\n7\n8\n9\n10\neleven\n";

    LineDiff.Result result = LineDiff.diff("version 1", "version 2", from, to, 3);

    assertThat(result.unified())
        .isEqualTo(
            """
            --- version 1
            +++ version 2
            @@ -2,9 +2,10 @@
             2
             3
             4
            -5
            +five
             6
             7
             8
             9
             10
            +eleven
            """);
    assertThat(result.added()).isEqualTo(2);
    assertThat(result.removed()).isEqualTo(1);
  }

  @Test
  void farApartChangesMakeSeparateHunks() {
    String from = "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\n";
    String to = "A\nb\nc\nd\ne\nf\ng\nh\ni\nj\nK\n";

    LineDiff.Result result = LineDiff.diff("x", "y", from, to, 3);

    assertThat(result.hunks())
        .extracting(LineDiff.Hunk::header)
        .containsExactly("@@ -1,4 +1,4 @@", "@@ -8,4 +8,4 @@");
  }

  @Test
  void insertionIntoEmptyTextUsesZeroStart() {
    LineDiff.Result result = LineDiff.diff("x", "y", "", "नमस्ते\nदुनिया", 3);

    assertThat(result.unified()).isEqualTo("--- x\n+++ y\n@@ -0,0 +1,2 @@\n+नमस्ते\n+दुनिया\n");
  }

  @Test
  void findsTheShortestEditScript() {
    // The classic Myers example: ABCABBA -> CBABAC needs 5 edits.
    List<LineDiff.Edit> edits =
        LineDiff.edits(
            List.of("A", "B", "C", "A", "B", "B", "A"), List.of("C", "B", "A", "B", "A", "C"));

    assertThat(edits.stream().filter(e -> e.kind() != LineDiff.Kind.CONTEXT)).hasSize(5);
  }

  @Test
  void applyingTheEditsToTheOldSideAlwaysGivesTheNewSide() {
    Random random = new Random(42);
    for (int round = 0; round < 300; round++) {
      List<String> a = randomLines(random);
      List<String> b = randomLines(random);

      List<LineDiff.Edit> edits = LineDiff.edits(a, b);

      List<String> rebuiltOld = new ArrayList<>();
      List<String> rebuiltNew = new ArrayList<>();
      for (LineDiff.Edit edit : edits) {
        if (edit.kind() != LineDiff.Kind.ADDED) {
          rebuiltOld.add(edit.text());
        }
        if (edit.kind() != LineDiff.Kind.REMOVED) {
          rebuiltNew.add(edit.text());
        }
      }
      assertThat(rebuiltOld).isEqualTo(a);
      assertThat(rebuiltNew).isEqualTo(b);
    }
  }

  @Test
  void hugeDifferencesFallBackToReplacingTheMiddle() {
    List<String> a = new ArrayList<>();
    List<String> b = new ArrayList<>();
    for (int i = 0; i < LineDiff.MAX_EDITS + 10; i++) {
      a.add("old " + i);
      b.add("new " + i);
    }

    List<LineDiff.Edit> edits = LineDiff.edits(a, b);

    assertThat(edits).hasSize(a.size() + b.size());
  }

  private static List<String> randomLines(Random random) {
    List<String> lines = new ArrayList<>();
    int count = random.nextInt(12);
    for (int i = 0; i < count; i++) {
      lines.add(String.valueOf((char) ('a' + random.nextInt(4))));
    }
    return lines;
  }
}
