package io.parley.compliance;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * A registry list as the API shows it. Its age is its oldest area code's: the list can vouch for no
 * number older than that.
 *
 * @param name the list's name
 * @param kind national or state
 * @param coverage the area codes in force, as ranges
 * @param areaCodes how many area codes that is
 * @param numbers the numbers in force
 * @param asOf the oldest download date among the area codes in force
 * @param ageDays days from {@code asOf} to today (UTC)
 * @param freshness {@code fresh}, {@code warning} (goes stale within
 *     PARLEY_DNC_REGISTRY_WARN_BEFORE) or {@code stale} (older than PARLEY_DNC_REGISTRY_MAX_AGE:
 *     telemarketing dials it covers are refused); {@code empty} for a list without area codes
 * @param stale whether freshness is stale
 * @param freshUntil the last day the oldest area code is fresh
 * @param copies the imports in force, each for the area codes where it is
 */
record RegistryView(
    String name,
    RegistryKind kind,
    String coverage,
    int areaCodes,
    long numbers,
    LocalDate asOf,
    Long ageDays,
    String freshness,
    boolean stale,
    LocalDate freshUntil,
    List<CopyView> copies) {

  /**
   * One import, where it is in force.
   *
   * @param id the import's id
   * @param coverage the area codes where it is in force (its own coverage, less what later imports
   *     replaced)
   * @param asOf the day its file was downloaded
   * @param ageDays days from then to today (UTC)
   * @param freshness as for the list
   * @param numbers its numbers in force
   * @param importedAt when it was imported
   * @param importedBy who imported it
   */
  record CopyView(
      long id,
      String coverage,
      LocalDate asOf,
      long ageDays,
      String freshness,
      long numbers,
      Instant importedAt,
      String importedBy) {}
}
