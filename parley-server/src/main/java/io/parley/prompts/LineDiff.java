package io.parley.prompts;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * A line-based diff with Myers' O((N+M)·D) algorithm and unified output. Prompts are small, but the
 * trace of a Myers run grows with D², so beyond {@link #MAX_EDITS} differing lines the middle is
 * reported as "all removed, all added", which is still a correct (if not minimal) diff.
 */
final class LineDiff {

  static final int MAX_EDITS = 2_000;

  enum Kind {
    CONTEXT,
    REMOVED,
    ADDED
  }

  /** One line of the diff with its 1-based line numbers (0 where the line is absent). */
  record Edit(Kind kind, String text, int fromLine, int toLine) {}

  /** A run of changes with surrounding context, as in {@code @@ -a,b +c,d @@}. */
  record Hunk(int fromStart, int fromCount, int toStart, int toCount, List<Edit> edits) {

    String header() {
      return "@@ -" + fromStart + "," + fromCount + " +" + toStart + "," + toCount + " @@";
    }
  }

  record Result(List<Hunk> hunks, String unified, int added, int removed) {}

  private LineDiff() {}

  static Result diff(String fromLabel, String toLabel, String from, String to, int context) {
    List<Edit> edits = edits(lines(from), lines(to));
    List<Hunk> hunks = hunks(edits, context);
    int added = 0;
    int removed = 0;
    for (Edit edit : edits) {
      if (edit.kind() == Kind.ADDED) {
        added++;
      } else if (edit.kind() == Kind.REMOVED) {
        removed++;
      }
    }
    StringBuilder unified = new StringBuilder();
    if (!hunks.isEmpty()) {
      unified.append("--- ").append(fromLabel).append('\n');
      unified.append("+++ ").append(toLabel).append('\n');
      for (Hunk hunk : hunks) {
        unified.append(hunk.header()).append('\n');
        for (Edit edit : hunk.edits()) {
          char sign =
              switch (edit.kind()) {
                case CONTEXT -> ' ';
                case REMOVED -> '-';
                case ADDED -> '+';
              };
          unified.append(sign).append(edit.text()).append('\n');
        }
      }
    }
    return new Result(hunks, unified.toString(), added, removed);
  }

  /** Splits on line feeds; a final line feed does not start another line, CRs are dropped. */
  static List<String> lines(String text) {
    if (text.isEmpty()) {
      return List.of();
    }
    String[] parts = text.replace("\r\n", "\n").split("\n", -1);
    int count = text.endsWith("\n") ? parts.length - 1 : parts.length;
    return Arrays.asList(parts).subList(0, count);
  }

  /** Every line of both sides in order: kept lines as context, the rest removed or added. */
  static List<Edit> edits(List<String> a, List<String> b) {
    int prefix = 0;
    while (prefix < a.size() && prefix < b.size() && a.get(prefix).equals(b.get(prefix))) {
      prefix++;
    }
    int suffix = 0;
    while (suffix < a.size() - prefix
        && suffix < b.size() - prefix
        && a.get(a.size() - 1 - suffix).equals(b.get(b.size() - 1 - suffix))) {
      suffix++;
    }
    List<String> middleA = a.subList(prefix, a.size() - suffix);
    List<String> middleB = b.subList(prefix, b.size() - suffix);

    List<Edit> edits = new ArrayList<>();
    for (int i = 0; i < prefix; i++) {
      edits.add(new Edit(Kind.CONTEXT, a.get(i), i + 1, i + 1));
    }
    List<Kind> middle = myers(middleA, middleB);
    int x = 0;
    int y = 0;
    for (Kind kind : middle) {
      switch (kind) {
        case CONTEXT -> {
          edits.add(new Edit(kind, middleA.get(x), prefix + x + 1, prefix + y + 1));
          x++;
          y++;
        }
        case REMOVED -> {
          edits.add(new Edit(kind, middleA.get(x), prefix + x + 1, 0));
          x++;
        }
        case ADDED -> {
          edits.add(new Edit(kind, middleB.get(y), 0, prefix + y + 1));
          y++;
        }
      }
    }
    for (int i = 0; i < suffix; i++) {
      int fromIndex = a.size() - suffix + i;
      int toIndex = b.size() - suffix + i;
      edits.add(new Edit(Kind.CONTEXT, a.get(fromIndex), fromIndex + 1, toIndex + 1));
    }
    return edits;
  }

  /** The shortest edit script from a to b as a sequence of kinds, in order. */
  private static List<Kind> myers(List<String> a, List<String> b) {
    int n = a.size();
    int m = b.size();
    int max = n + m;
    if (max == 0) {
      return List.of();
    }
    int limit = Math.min(max, MAX_EDITS);
    int offset = max + 1;
    int[] v = new int[2 * max + 3];
    // trace.get(d) holds v[-d..d] as it was before step d, which backtracking needs.
    List<int[]> trace = new ArrayList<>();
    for (int d = 0; d <= limit; d++) {
      trace.add(Arrays.copyOfRange(v, offset - d, offset + d + 1));
      for (int k = -d; k <= d; k += 2) {
        int x =
            (k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1]))
                ? v[offset + k + 1]
                : v[offset + k - 1] + 1;
        int y = x - k;
        while (x < n && y < m && a.get(x).equals(b.get(y))) {
          x++;
          y++;
        }
        v[offset + k] = x;
        if (x >= n && y >= m) {
          return backtrack(trace, n, m);
        }
      }
    }
    List<Kind> replaceAll = new ArrayList<>(Collections.nCopies(n, Kind.REMOVED));
    replaceAll.addAll(Collections.nCopies(m, Kind.ADDED));
    return replaceAll;
  }

  private static List<Kind> backtrack(List<int[]> trace, int n, int m) {
    List<Kind> reversed = new ArrayList<>();
    int x = n;
    int y = m;
    for (int d = trace.size() - 1; d >= 0; d--) {
      int[] v = trace.get(d);
      int k = x - y;
      int previousK;
      if (d == 0) {
        previousK = 0;
      } else if (k == -d || (k != d && at(v, d, k - 1) < at(v, d, k + 1))) {
        previousK = k + 1;
      } else {
        previousK = k - 1;
      }
      int previousX = d == 0 ? 0 : at(v, d, previousK);
      int previousY = previousX - previousK;
      while (x > previousX && y > previousY) {
        reversed.add(Kind.CONTEXT);
        x--;
        y--;
      }
      if (d > 0) {
        reversed.add(x == previousX ? Kind.ADDED : Kind.REMOVED);
      }
      x = previousX;
      y = previousY;
    }
    Collections.reverse(reversed);
    return reversed;
  }

  /** v[k] from a trace row that stores v[-d..d]. */
  private static int at(int[] row, int d, int k) {
    return row[k + d];
  }

  private static List<Hunk> hunks(List<Edit> edits, int context) {
    List<Hunk> hunks = new ArrayList<>();
    int index = 0;
    while (index < edits.size()) {
      if (edits.get(index).kind() == Kind.CONTEXT) {
        index++;
        continue;
      }
      int start = Math.max(0, index - context);
      // Extend while the next change is close enough that the contexts would touch.
      int lastChange = index;
      for (int i = index; i < edits.size(); i++) {
        if (edits.get(i).kind() != Kind.CONTEXT) {
          lastChange = i;
        } else if (i - lastChange > 2 * context) {
          break;
        }
      }
      int end = Math.min(edits.size(), lastChange + context + 1);
      hunks.add(hunk(edits, start, end));
      index = end;
    }
    return hunks;
  }

  private static Hunk hunk(List<Edit> edits, int start, int end) {
    List<Edit> slice = List.copyOf(edits.subList(start, end));
    // Lines of each side before the hunk: the number of the last such line seen earlier.
    int fromBefore = 0;
    int toBefore = 0;
    for (int i = 0; i < start; i++) {
      Edit edit = edits.get(i);
      if (edit.kind() != Kind.ADDED) {
        fromBefore++;
      }
      if (edit.kind() != Kind.REMOVED) {
        toBefore++;
      }
    }
    int fromCount = 0;
    int toCount = 0;
    for (Edit edit : slice) {
      if (edit.kind() != Kind.ADDED) {
        fromCount++;
      }
      if (edit.kind() != Kind.REMOVED) {
        toCount++;
      }
    }
    return new Hunk(
        fromCount == 0 ? fromBefore : fromBefore + 1,
        fromCount,
        toCount == 0 ? toBefore : toBefore + 1,
        toCount,
        slice);
  }
}
