package io.parley.compliance;

import java.time.LocalDate;
import java.util.UUID;

/** The registry lists, as the compliance gate asks them about one telemarketing dial. */
@FunctionalInterface
interface RegistryLayer {

  Verdict check(UUID organisationId, String phoneNumber);

  /** What the registry copies say about a number. */
  sealed interface Verdict {}

  /** No copy lists the number, and every copy that covers it is fresh (or none is required). */
  record Clear() implements Verdict {}

  /** A copy covering the number's area code lists it. */
  record Listed(String registry, LocalDate asOf) implements Verdict {}

  /** The number's region needs a national copy covering its area code, and none does. */
  record Missing(int areaCode, String region) implements Verdict {}

  /** A copy covering the number is older than the maximum age: it cannot vouch for it. */
  record Stale(String registry, int areaCode, LocalDate asOf, long ageDays, long maxAgeDays)
      implements Verdict {}
}
