package io.parley.campaigns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.jwt;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.parley.conversation.CallbackBooking;
import io.parley.shared.AuditEvent;
import io.parley.shared.Organisations;
import io.parley.support.AgentRequests;
import io.parley.support.DatabaseCleaner;
import io.parley.support.DbTest;
import io.parley.support.PromptRows;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.test.context.event.ApplicationEvents;
import org.springframework.test.context.event.RecordApplicationEvents;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.RequestPostProcessor;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST/DELETE /api/campaigns/{id}/leads/{leadId}/callback}: booking in the lead's zone, the
 * move into the calling hours, the lead's record and export, cancelling, every refusal.
 */
@DbTest
@RecordApplicationEvents
class CallbackApiTest {

  static final UUID USER = UUID.fromString("55555555-5555-5555-5555-555555555555");
  static final UUID PROMPT = UUID.fromString("66666666-6666-6666-6666-666666666667");
  static final JsonMapper JSON = JsonMapper.builder().build();
  static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
  static final String NUMBER = "+12125550123";
  static final String HELD_NUMBER = "+80012345678";

  @Autowired MockMvc mvc;
  @Autowired DataSource dataSource;
  @Autowired JdbcClient jdbc;
  @Autowired ApplicationEvents events;
  @Autowired io.parley.calls.CallRecords records;
  @Autowired LeadCallbacks callbacks;
  @Autowired LeadClaims claims;

  String agentId;
  String campaignId;
  String leadId;
  String heldLeadId;
  LocalDate tomorrow;

  static RequestPostProcessor as(String role) {
    return jwt()
        .jwt(j -> j.subject(USER.toString()).claim("email", "ops@example.com"))
        .authorities(new SimpleGrantedAuthority("ROLE_" + role));
  }

  @BeforeEach
  void setUp() throws Exception {
    DatabaseCleaner.clean(dataSource);
    PromptRows.insert(dataSource, PROMPT, "Reminders", "You remind people of visits.", USER);
    agentId =
        new AgentRequests(mvc, as("ADMIN"))
            .create(
                """
                {"name": "Reminders", "promptId": "%s", "greeting": "Hello!",
                 "voice": {"provider": "elevenlabs", "voiceId": "v1"}, "llm": {"model": "grok-3-mini"}}
                """
                    .formatted(PROMPT))
            .path("id")
            .asString();
    campaignId = campaign();
    leadId = leadOf(campaignId, NUMBER);
    heldLeadId = leadOf(campaignId, HELD_NUMBER);
    tomorrow = LocalDate.now(NEW_YORK).plusDays(1);
  }

  @Test
  void aCallbackIsBookedInTheLeadsZoneShownInItsRecordMovedIntoTheHoursAndCancelled()
      throws Exception {
    JsonNode booked =
        body(
            book(
                    campaignId,
                    leadId,
                    "{\"at\": \""
                        + tomorrow
                        + "T15:00\", \"summary\": \"Wants"
                        + " to move the visit to Friday\"}")
                .andExpect(status().isOk()));
    Instant expected = ZonedDateTime.of(tomorrow.atTime(15, 0), NEW_YORK).toInstant();
    assertThat(booked.get("status").asString()).isEqualTo("callback");
    assertThat(booked.get("nextAttemptAt").asString()).isEqualTo(expected.toString());
    JsonNode callback = booked.get("callback");
    assertThat(callback.get("state").asString()).isEqualTo("scheduled");
    assertThat(callback.get("requestedFor").asString()).isEqualTo(tomorrow + "T15:00");
    assertThat(callback.get("timeZone").asString()).isEqualTo("America/New_York");
    assertThat(callback.get("requestedAt").asString()).isEqualTo(expected.toString());
    assertThat(callback.get("dueAt").asString()).isEqualTo(expected.toString());
    assertThat(callback.get("moved").asBoolean()).isFalse();
    assertThat(callback.get("summary").asString()).isEqualTo("Wants to move the visit to Friday");
    assertThat(callback.get("source").asString()).isEqualTo("user");
    assertThat(callback.get("bookedBy").asString()).isEqualTo("ops@example.com");

    // The lead's record, the list filtered by status, and the export show it.
    mvc.perform(get("/api/campaigns/" + campaignId + "/leads/" + leadId).with(as("VIEWER")))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.callback.requestedFor").value(tomorrow + "T15:00"));
    mvc.perform(
            get("/api/campaigns/" + campaignId + "/leads")
                .param("status", "callback")
                .with(as("VIEWER")))
        .andExpect(jsonPath("$.total").value(1))
        .andExpect(jsonPath("$.items[0].id").value(leadId));
    mvc.perform(get("/api/campaigns/" + campaignId).with(as("VIEWER")))
        .andExpect(jsonPath("$.leads.callback").value(1));
    String csv =
        mvc.perform(
                get("/api/campaigns/" + campaignId + "/leads/export")
                    .param("status", "callback")
                    .with(as("SUPERVISOR")))
            .andReturn()
            .getResponse()
            .getContentAsString(StandardCharsets.UTF_8);
    String[] lines = csv.split("\r\n");
    assertThat(lines[0])
        .endsWith(
            "callback_state,callback_for,callback_time_zone,callback_due_at,callback_source,"
                + "callback_summary");
    assertThat(lines[1])
        .endsWith(
            "scheduled,"
                + tomorrow
                + "T15:00,America/New_York,"
                + expected
                + ",user,Wants to move the visit to Friday");

    // 22:30 is outside the calling window (08:00-21:00): due at the next opening, the time asked
    // for kept.
    JsonNode late =
        body(
            book(campaignId, leadId, "{\"at\": \"" + tomorrow + "T22:30\"}")
                .andExpect(status().isOk()));
    callback = late.get("callback");
    assertThat(callback.get("requestedFor").asString()).isEqualTo(tomorrow + "T22:30");
    assertThat(callback.get("dueLocal").asString()).isEqualTo(tomorrow.plusDays(1) + "T08:00");
    assertThat(callback.get("moved").asBoolean()).isTrue();
    assertThat(callback.get("note").asString()).contains("moved to " + tomorrow.plusDays(1));
    assertThat(callback.has("summary")).isFalse();
    assertThat(late.get("nextAttemptAt").asString())
        .isEqualTo(
            ZonedDateTime.of(tomorrow.plusDays(1).atTime(8, 0), NEW_YORK).toInstant().toString());

    // Cancelled: the lead is back where it was before the first booking.
    JsonNode cancelled =
        body(
            mvc.perform(
                    delete("/api/campaigns/" + campaignId + "/leads/" + leadId + "/callback")
                        .with(as("OPERATOR")))
                .andExpect(status().isOk()));
    assertThat(cancelled.get("status").asString()).isEqualTo("pending");
    assertThat(cancelled.get("callback").get("state").asString()).isEqualTo("cancelled");
    assertThat(cancelled.get("callback").get("note").asString())
        .isEqualTo("cancelled by ops@example.com");
    mvc.perform(
            delete("/api/campaigns/" + campaignId + "/leads/" + leadId + "/callback")
                .with(as("OPERATOR")))
        .andExpect(status().isConflict());
    assertThat(
            events.stream(AuditEvent.class)
                .filter(e -> e.action().startsWith("campaign.callback"))
                .map(AuditEvent::action))
        .containsExactly(
            "campaign.callback_booked", "campaign.callback_booked", "campaign.callback_cancelled");
  }

  @Test
  void badTimesAreNamedAndOnlyOperatorsBook() throws Exception {
    LocalDate yesterday = tomorrow.minusDays(2);
    book(campaignId, leadId, "{\"at\": \"" + yesterday + "T15:00\"}")
        .andExpect(status().isUnprocessableContent())
        .andExpect(
            jsonPath("$.errors.at").value(org.hamcrest.Matchers.startsWith("is in the past")));
    book(campaignId, leadId, "{\"at\": \"" + tomorrow.plusDays(40) + "T15:00\"}")
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.errors.at").value(org.hamcrest.Matchers.containsString("30 days")));
    book(
            campaignId,
            leadId,
            "{\"at\": \"tomorrow at three\", \"summary\": \"" + "x".repeat(2001) + "\"}")
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.errors.at").exists())
        .andExpect(jsonPath("$.errors.summary").exists());
    book(campaignId, leadId, "{}")
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.errors.at").exists());
    mvc.perform(
            post("/api/campaigns/" + campaignId + "/leads/" + leadId + "/callback")
                .with(as("VIEWER"))
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"at\": \"" + tomorrow + "T15:00\"}"))
        .andExpect(status().isForbidden());
    // Nothing was written.
    mvc.perform(get("/api/campaigns/" + campaignId + "/leads/" + leadId).with(as("VIEWER")))
        .andExpect(jsonPath("$.status").value("pending"))
        .andExpect(jsonPath("$.callback").doesNotExist());
  }

  @Test
  void aLeadOfAnotherCampaignIsNotFoundAndADncOrHeldLeadOrACancelledCampaignConflicts()
      throws Exception {
    String good = "{\"at\": \"" + tomorrow + "T15:00\"}";
    String other = campaign();
    book(other, leadId, good).andExpect(status().isNotFound());
    book(campaignId, UUID.randomUUID().toString(), good).andExpect(status().isNotFound());
    book(UUID.randomUUID().toString(), leadId, good).andExpect(status().isNotFound());
    book(campaignId, heldLeadId, good)
        .andExpect(status().isConflict())
        .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("held")));
    jdbc.sql("UPDATE campaign_lead SET status = 'dnc' WHERE id = :id")
        .param("id", UUID.fromString(leadId))
        .update();
    book(campaignId, leadId, good)
        .andExpect(status().isConflict())
        .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("do-not-call")));

    // Cancelling a campaign drops its callbacks: the lead returns to where it was.
    String otherLead = leadOf(other, NUMBER);
    book(other, otherLead, good).andExpect(status().isOk());
    mvc.perform(post("/api/campaigns/" + other + "/cancel").with(as("OPERATOR")))
        .andExpect(status().isOk());
    mvc.perform(get("/api/campaigns/" + other + "/leads/" + otherLead).with(as("VIEWER")))
        .andExpect(jsonPath("$.status").value("pending"))
        .andExpect(jsonPath("$.callback.state").value("cancelled"))
        .andExpect(jsonPath("$.callback.note").value("the campaign was cancelled"));
    book(other, otherLead, good)
        .andExpect(status().isConflict())
        .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("cancelled")));
  }

  @Test
  void theToolBooksTheCallbackOfTheCallsLeadAndTheCallsSettlementKeepsIt() throws Exception {
    UUID call =
        records
            .create(
                io.parley.calls.NewCall.builder(
                        io.parley.calls.CallDirection.OUTBOUND, "+14155550100", NUMBER)
                    .lead(UUID.fromString(campaignId), UUID.fromString(leadId))
                    .build())
            .id();
    // Not a campaign call, or a call its lead no longer waits on: refused, for the model to read.
    assertThat(
            callbacks.book(Organisations.DEFAULT_ID, UUID.randomUUID(), tomorrow + "T15:00", "x"))
        .isInstanceOf(CallbackBooking.Outcome.Refused.class)
        .hasToString(
            "Refused[reason=This is not a campaign call: a callback can only be booked for a"
                + " campaign's lead.]");
    assertThat(callbacks.book(Organisations.DEFAULT_ID, call, tomorrow + "T15:00", "x"))
        .isEqualTo(
            new CallbackBooking.Outcome.Refused(
                "This call's lead is no longer waiting on this call."));
    jdbc.sql(
            "UPDATE campaign_lead SET status = 'dialing', claimed_by = 'node', current_call_id ="
                + " :call, attempts = 1 WHERE id = :id")
        .param("call", call)
        .param("id", UUID.fromString(leadId))
        .update();
    assertThat(
            callbacks.book(Organisations.DEFAULT_ID, call, tomorrow.minusDays(2) + "T15:00", "x"))
        .isInstanceOfSatisfying(
            CallbackBooking.Outcome.Refused.class,
            r -> assertThat(r.reason()).startsWith("at is in the past: it is now "));
    assertThat(callbacks.book(Organisations.DEFAULT_ID, call, tomorrow + "T15:00", " "))
        .isInstanceOfSatisfying(
            CallbackBooking.Outcome.Refused.class,
            r -> assertThat(r.reason()).startsWith("summary is required"));

    CallbackBooking.Outcome booked =
        callbacks.book(Organisations.DEFAULT_ID, call, tomorrow + "T22:30", "Wants Friday");
    assertThat(booked)
        .isEqualTo(
            new CallbackBooking.Outcome.Booked(
                tomorrow + "T22:30", tomorrow.plusDays(1) + "T08:00", "America/New_York"));
    // The lead keeps its call until it ends; then the callback takes it, the outcome recorded.
    mvc.perform(get("/api/campaigns/" + campaignId + "/leads/" + leadId).with(as("VIEWER")))
        .andExpect(jsonPath("$.status").value("dialing"))
        .andExpect(jsonPath("$.callback.state").value("scheduled"))
        .andExpect(jsonPath("$.callback.source").value("tool"))
        .andExpect(jsonPath("$.callback.bookedDuringCallId").value(call.toString()));
    LeadSettlement done =
        LeadSettlement.after(
            io.parley.calls.CallOutcome.COMPLETED,
            io.parley.calls.CallStatus.COMPLETED,
            1,
            LeadSettlementTest.DEFAULTS,
            Instant.now());
    assertThat(claims.settle(UUID.fromString(leadId), call, done, Instant.now())).isTrue();
    mvc.perform(get("/api/campaigns/" + campaignId + "/leads/" + leadId).with(as("VIEWER")))
        .andExpect(jsonPath("$.status").value("callback"))
        .andExpect(jsonPath("$.lastOutcome").value("completed"))
        .andExpect(
            jsonPath("$.nextAttemptAt")
                .value(
                    ZonedDateTime.of(tomorrow.plusDays(1).atTime(8, 0), NEW_YORK)
                        .toInstant()
                        .toString()))
        .andExpect(jsonPath("$.callback.summary").value("Wants Friday"));
    // Cancelled, the lead goes where the call's settlement would have put it.
    mvc.perform(
            delete("/api/campaigns/" + campaignId + "/leads/" + leadId + "/callback")
                .with(as("OPERATOR")))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.status").value("done"));
  }

  // --- helpers ---

  private ResultActions book(String campaign, String lead, String body) throws Exception {
    return mvc.perform(
        post("/api/campaigns/" + campaign + "/leads/" + lead + "/callback")
            .with(as("OPERATOR"))
            .contentType(MediaType.APPLICATION_JSON)
            .content(body));
  }

  private String campaign() throws Exception {
    String id =
        body(mvc.perform(
                    post("/api/campaigns")
                        .with(as("OPERATOR"))
                        .contentType(MediaType.APPLICATION_JSON)
                        .content(
                            "{\"name\": \"Visits\", \"settings\": {\"purpose\":"
                                + " \"informational\", \"agentId\": \""
                                + agentId
                                + "\"}}"))
                .andExpect(status().isCreated()))
            .get("id")
            .asString();
    mvc.perform(
            post("/api/campaigns/" + id + "/leads")
                .with(as("OPERATOR"))
                .contentType(MediaType.parseMediaType("text/csv"))
                .content(
                    ("phone,first_name,time_zone\n"
                            + NUMBER
                            + ",Ann,America/New_York\n"
                            + HELD_NUMBER
                            + ",Held,\n")
                        .getBytes(StandardCharsets.UTF_8)))
        .andExpect(status().isCreated());
    return id;
  }

  private String leadOf(String campaign, String phone) {
    return jdbc.sql("SELECT id FROM campaign_lead WHERE campaign_id = :c AND phone_number = :p")
        .param("c", UUID.fromString(campaign))
        .param("p", phone)
        .query(String.class)
        .single();
  }

  private static JsonNode body(ResultActions result) throws Exception {
    return JSON.readTree(
        result.andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8));
  }
}
