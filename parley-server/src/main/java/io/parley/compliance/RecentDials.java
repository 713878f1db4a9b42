package io.parley.compliance;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * The outbound attempts already made to a number, as the per-number cap counts them. Implemented
 * where the call records are (outside this module), so the gate needs no knowledge of their table.
 */
public interface RecentDials {

  /** Outbound attempts to the number created at or after {@code since}, placed or not. */
  int count(UUID organisationId, String phoneNumber, Instant since);

  /** When the first of those was created, if any. */
  Optional<Instant> first(UUID organisationId, String phoneNumber, Instant since);
}
