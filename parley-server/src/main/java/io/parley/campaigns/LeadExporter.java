package io.parley.campaigns;

import io.parley.shared.CsvWriter;
import java.io.Writer;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * A campaign's leads as CSV, streamed from the database to the response a row at a time. Leads are
 * personal data: the controller audits the export before the first byte (so an export cut short is
 * still on record) and allows it to supervisors only.
 */
@Service
class LeadExporter {

  static final List<String> HEADER =
      List.of(
          "phone",
          "first_name",
          "last_name",
          "time_zone",
          "number_zones",
          "consent_source",
          "consent_at",
          "status",
          "status_reason",
          "attempts",
          "last_outcome",
          "next_attempt_at",
          "variables",
          "import_id",
          "import_line",
          "created_at",
          "callback_state",
          "callback_for",
          "callback_time_zone",
          "callback_due_at",
          "callback_source",
          "callback_summary");
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final LeadRepository leads;

  LeadExporter(LeadRepository leads) {
    this.leads = leads;
  }

  /** Writes the header and every lead the query selects; returns how many leads. */
  @Transactional(readOnly = true)
  long write(UUID campaignId, LeadQuery query, Writer out) {
    CsvWriter csv = new CsvWriter(out);
    csv.row(HEADER);
    AtomicLong count = new AtomicLong();
    leads.forEach(
        campaignId,
        query,
        lead -> {
          LeadCallback callback = lead.callback();
          csv.row(
              lead.phoneNumber(),
              lead.firstName(),
              lead.lastName(),
              lead.timeZone(),
              String.join(" ", lead.zones()),
              lead.consentSource(),
              text(lead.consentAt()),
              lead.status().wire(),
              lead.statusReason(),
              Integer.toString(lead.attempts()),
              lead.lastOutcome(),
              text(lead.nextAttemptAt()),
              lead.variables().isEmpty() ? null : JSON.writeValueAsString(lead.variables()),
              lead.importId() == null ? null : lead.importId().toString(),
              lead.importLine() == null ? null : lead.importLine().toString(),
              text(lead.createdAt()),
              callback == null ? null : callback.state().wire(),
              callback == null ? null : callback.requestedFor(),
              callback == null ? null : callback.timeZone(),
              callback == null ? null : text(callback.dueAt()),
              callback == null || callback.source() == null ? null : callback.source().wire(),
              callback == null ? null : callback.summary());
          count.incrementAndGet();
        });
    csv.flush();
    return count.get();
  }

  private static String text(Instant instant) {
    return instant == null ? null : instant.toString();
  }
}
