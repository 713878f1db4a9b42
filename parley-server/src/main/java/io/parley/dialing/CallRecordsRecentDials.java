package io.parley.dialing;

import io.parley.calls.CallRecords;
import io.parley.compliance.RecentDials;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;

/** The compliance gate's count of recent dials, read from the call records. */
@Component
class CallRecordsRecentDials implements RecentDials {

  private final CallRecords records;

  CallRecordsRecentDials(CallRecords records) {
    this.records = records;
  }

  @Override
  public int count(UUID organisationId, String phoneNumber, Instant since) {
    return records.countOutboundTo(organisationId, phoneNumber, since);
  }

  @Override
  public Optional<Instant> first(UUID organisationId, String phoneNumber, Instant since) {
    return records.firstOutboundTo(organisationId, phoneNumber, since);
  }
}
