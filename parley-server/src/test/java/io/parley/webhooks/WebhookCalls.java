package io.parley.webhooks;

import io.parley.calls.CallDirection;
import io.parley.calls.CallOutcome;
import io.parley.calls.CallRecords;
import io.parley.calls.CallStatus;
import io.parley.calls.NewCall;
import io.parley.calls.StatusUpdate;
import io.parley.shared.Organisations;
import io.parley.support.PromptRows;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/** An agent for calls to reference, and a call driven through its life as telephony would. */
final class WebhookCalls {

  static final UUID PROMPT = UUID.fromString("11111111-1111-1111-1111-111111111118");
  static final UUID AGENT = UUID.fromString("44444444-4444-4444-4444-444444444418");
  static final UUID USER = UUID.fromString("33333333-3333-3333-3333-333333333318");

  private WebhookCalls() {}

  static void createAgent(DataSource dataSource) {
    PromptRows.insert(dataSource, PROMPT, "Reminders", "You remind patients.", USER);
    Timestamp now = Timestamp.from(Instant.now());
    JdbcClient.create(dataSource)
        .sql(
            "INSERT INTO agent (id, organisation_id, name, prompt_id, prompt_version, config,"
                + " version, created_at, updated_at) VALUES (?, ?, ?, ?, 1, '{}', 1, ?, ?)")
        .params(AGENT, Organisations.DEFAULT_ID, "Clinic reminders", PROMPT, now, now)
        .update();
  }

  /** An outbound call that rings and is answered: {@code call.started}. */
  static UUID answeredCall(CallRecords records) {
    UUID id =
        records
            .create(
                NewCall.builder(CallDirection.OUTBOUND, "+14155550100", "+14155550199")
                    .agent(AGENT, "{\"name\": \"Clinic reminders\", \"tools\": []}")
                    .prompt(PROMPT, 1)
                    .build())
            .id();
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    records.applyStatus(id, StatusUpdate.of(CallStatus.RINGING, now));
    records.applyStatus(id, StatusUpdate.of(CallStatus.IN_PROGRESS, now.plusSeconds(3)));
    return id;
  }

  /**
   * Ends an answered call as a real one ends: the engine disposes it first, then Twilio's final
   * status arrives ({@code call.ended} once both are known).
   */
  static void end(CallRecords records, UUID id) {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    records.finish(id, CallOutcome.COMPLETED, "the agent said goodbye", now);
    records.applyStatus(id, new StatusUpdate(CallStatus.COMPLETED, now.plusSeconds(1), 42));
  }
}
