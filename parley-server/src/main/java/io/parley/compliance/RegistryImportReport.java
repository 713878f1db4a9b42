package io.parley.compliance;

import java.time.LocalDate;
import java.util.List;

/**
 * What a registry import did.
 *
 * @param copyId the import's id (a copy of the list)
 * @param registry the list's name
 * @param kind national or state
 * @param coverage the area codes the import replaced, as ranges
 * @param asOf the day the file was downloaded from the registry
 * @param lines lines read (blank lines and a header line included)
 * @param numbers distinct numbers now in force for the coverage
 * @param repeated numbers the file held more than once (kept once)
 * @param emptyAreaCodes covered area codes the file had no number for (their copy is now empty:
 *     check the file if that is a surprise)
 * @param outsideCoverage lines with a valid number whose area code the import does not cover
 * @param badLines lines that are not a number in a known layout
 * @param headerSkipped whether the first line was a header (it had letters) and was skipped
 * @param millis how long the import took, reading to switching
 */
record RegistryImportReport(
    long copyId,
    String registry,
    RegistryKind kind,
    String coverage,
    LocalDate asOf,
    long lines,
    long numbers,
    long repeated,
    String emptyAreaCodes,
    Skipped outsideCoverage,
    Skipped badLines,
    boolean headerSkipped,
    long millis) {

  /** Lines that were skipped: how many, and the first few of them. */
  record Skipped(long count, List<Line> first) {
    Skipped {
      first = List.copyOf(first);
    }
  }

  /**
   * One skipped line.
   *
   * @param line its number in the file (in its zip entry, when the upload is a zip)
   * @param entry the zip entry it is in, or null
   * @param text the start of the line as it was
   */
  record Line(long line, String entry, String text) {}
}
