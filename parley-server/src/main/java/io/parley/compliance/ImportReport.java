package io.parley.compliance;

import java.util.List;

/**
 * What a CSV import did.
 *
 * @param rows data rows read (blank lines not counted)
 * @param added numbers put on the list
 * @param alreadyPresent numbers that were on the list already, or earlier in the same file
 * @param errors rows that were skipped, each with its line number in the file (the header is line
 *     1) and the reason
 */
record ImportReport(int rows, int added, int alreadyPresent, List<RowError> errors) {

  ImportReport {
    errors = List.copyOf(errors);
  }

  record RowError(int row, String message) {}
}
