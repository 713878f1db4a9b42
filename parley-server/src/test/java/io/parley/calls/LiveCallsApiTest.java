package io.parley.calls;

import static io.parley.calls.CallFixtures.as;
import static io.parley.calls.CallFixtures.outbound;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.parley.sim.Fault;
import io.parley.sim.Faults;
import io.parley.sim.Sim;
import io.parley.sim.SimConfig;
import io.parley.sim.http.Params;
import io.parley.sim.twilio.TwilioConfig;
import io.parley.support.DatabaseCleaner;
import io.parley.support.SimTwilio;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.HttpStatus;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.web.ErrorResponseException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * GET /api/calls/live: the open calls from the database, and ?reconcile=true checked against the
 * Twilio simulator's own list (calls it has open, some that Parley knows and one it does not).
 */
@Tag("db")
@SpringBootTest
@AutoConfigureMockMvc
@ActiveProfiles("test")
class LiveCallsApiTest {

  private static final String AGENT_NUMBER = "+14155550123";
  private static final String PERSON = "+14155550188";
  private static final JsonMapper MAPPER = JsonMapper.builder().build();

  @AutoClose
  private static final Sim SIM =
      Sim.start(
          SimConfig.defaults()
              .withTwilio(
                  SimTwilio.owning(AGENT_NUMBER)
                      .withDestinations(
                          Map.of(
                              PERSON,
                              TwilioConfig.Destination.answer(Duration.ofMillis(100), null)))));

  @DynamicPropertySource
  static void twilio(DynamicPropertyRegistry registry) {
    io.parley.support.SimProviders.twilio(registry, SIM);
  }

  @Autowired MockMvc mvc;
  @Autowired DataSource dataSource;
  @Autowired CallRecords records;
  @Autowired CarrierCalls carrier;

  private final List<String> simCalls = new ArrayList<>();
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeEach
  void setUp() {
    DatabaseCleaner.clean(dataSource);
    CallFixtures.createAgents(dataSource);
  }

  @AfterEach
  void hangUp() throws Exception {
    SIM.faults().clear();
    for (String sid : simCalls) {
      twilioApi("Calls/" + sid + ".json", Map.of("Status", "completed"));
    }
  }

  @Test
  void listsTheOpenCallsOfEveryNodeOldestFirst() throws Exception {
    UUID ringing = records.create(outbound("+14155550001").status(CallStatus.RINGING).build()).id();
    UUID queued = records.create(outbound("+14155550002").build()).id();
    UUID ended = records.create(outbound("+14155550003").callSid("CAended").build()).id();
    records.applyStatus(ended, new StatusUpdate(CallStatus.COMPLETED, java.time.Instant.now(), 3));

    JsonNode calls = live("/api/calls/live", "VIEWER");
    assertThat(ids(calls)).containsExactly(ringing, queued);
    assertThat(calls.get(0).get("status").asString()).isEqualTo("ringing");
    assertThat(calls.get(0).get("to").asString()).isEqualTo("+14155550001");
    assertThat(calls.get(0).get("agentName").asString()).isEqualTo("आशा — clinic reminders");
    assertThat(calls.get(0).get("nodeId").asString()).isNotBlank();
    assertThat(ids(live("/api/calls/live?reconcile=false", "VIEWER")))
        .containsExactly(ringing, queued);

    mvc.perform(get("/api/calls/live?reconcile=maybe").with(as("VIEWER")))
        .andExpect(status().isUnprocessableContent())
        .andExpect(jsonPath("$.errors.reconcile").value("must be true or false"));
    mvc.perform(get("/api/calls/live")).andExpect(status().isUnauthorized());
    mvc.perform(get("/api/calls/live").with(as("NOBODY"))).andExpect(status().isForbidden());
  }

  @Test
  void onlySupervisorsReconcile() throws Exception {
    for (String role : List.of("VIEWER", "OPERATOR")) {
      mvc.perform(get("/api/calls/live?reconcile=true").with(as(role)))
          .andExpect(status().isForbidden());
    }
    mvc.perform(get("/api/calls/live?reconcile=true")).andExpect(status().isUnauthorized());
  }

  /** The only test that takes this node's reconcile slot: the second request is refused. */
  @Test
  void reconcileComparesWithTwilioAndIsRateLimited() throws Exception {
    String known = dialAtSim();
    String stranger = dialAtSim();
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                "in-progress".equals(SIM.twilio().call(known).status())
                    && "in-progress".equals(SIM.twilio().call(stranger).status()));
    UUID answered =
        records.create(outbound(PERSON).status(CallStatus.RINGING).callSid(known).build()).id();
    records.applyStatus(answered, StatusUpdate.of(CallStatus.IN_PROGRESS, java.time.Instant.now()));
    // Parley thinks it open; Twilio has no open call with its sid.
    UUID gone =
        records
            .create(
                outbound("+14155550002")
                    .status(CallStatus.RINGING)
                    .callSid("CA" + "0".repeat(32))
                    .build())
            .id();
    UUID noSid = records.create(outbound("+14155550003").build()).id();

    JsonNode check = live("/api/calls/live?reconcile=true", "SUPERVISOR");

    assertThat(check.get("checkedAt").asString()).isNotBlank();
    JsonNode calls = check.get("calls");
    assertThat(calls.valueStream().map(c -> UUID.fromString(c.get("call").get("id").asString())))
        .containsExactly(answered, gone, noSid);
    assertThat(calls.get(0).get("twilioStatus").asString()).isEqualTo("in_progress");
    assertThat(calls.get(0).get("inProgressAtTwilio").asBoolean()).isTrue();
    assertThat(calls.get(1).has("twilioStatus")).isFalse();
    assertThat(calls.get(1).get("inProgressAtTwilio").asBoolean()).isFalse();
    assertThat(calls.get(2).get("inProgressAtTwilio").asBoolean()).isFalse();
    JsonNode unknown = check.get("unknownToParley");
    assertThat(unknown.valueStream().map(c -> c.get("callSid").asString()))
        .containsExactly(stranger);
    assertThat(unknown.get(0).get("status").asString()).isEqualTo("in_progress");
    assertThat(unknown.get(0).get("from").asString()).isEqualTo(AGENT_NUMBER);
    assertThat(unknown.get(0).get("to").asString()).isEqualTo(PERSON);

    var refused =
        mvc.perform(get("/api/calls/live?reconcile=true").with(as("ADMIN")))
            .andExpect(status().isTooManyRequests())
            .andExpect(jsonPath("$.title").value("Checked too recently"))
            .andReturn()
            .getResponse();
    int retryAfter = Integer.parseInt(refused.getHeader("Retry-After"));
    assertThat(retryAfter).isBetween(1, 10);
    // The plain list is not limited.
    assertThat(ids(live("/api/calls/live", "VIEWER"))).containsExactly(answered, gone, noSid);
  }

  @Test
  void twilioFailingIsABadGateway() {
    SIM.faults().set(Faults.Target.TWILIO, new Fault.ErrorStatus(500, Duration.ZERO));
    assertThatThrownBy(() -> carrier.unfinished())
        .isInstanceOfSatisfying(
            ErrorResponseException.class,
            e -> assertThat(e.getStatusCode()).isEqualTo(HttpStatus.BAD_GATEWAY));
  }

  /** A call placed at Twilio (by anyone) that stays answered for 30 s. */
  private String dialAtSim() throws Exception {
    String sid =
        twilioApi(
                "Calls.json",
                Map.of(
                    "To",
                    PERSON,
                    "From",
                    AGENT_NUMBER,
                    "Twiml",
                    "<Response><Pause length=\"30\"/></Response>"))
            .get("sid")
            .asString();
    simCalls.add(sid);
    return sid;
  }

  /** A POST to the simulator's Twilio REST API, as any application on the account would send. */
  private JsonNode twilioApi(String path, Map<String, String> form) throws Exception {
    String credentials = SIM.twilio().accountSid() + ":" + SIM.twilio().authToken();
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create(
                    SIM.twilioApiUrl()
                        + "/2010-04-01/Accounts/"
                        + SIM.twilio().accountSid()
                        + "/"
                        + path))
            .header(
                "Authorization",
                "Basic "
                    + Base64.getEncoder()
                        .encodeToString(credentials.getBytes(StandardCharsets.UTF_8)))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(Params.of(form).encode()))
            .build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isBetween(200, 201);
    return MAPPER.readTree(response.body());
  }

  private JsonNode live(String path, String role) throws Exception {
    String body =
        mvc.perform(get(path).with(as(role)))
            .andExpect(status().isOk())
            .andReturn()
            .getResponse()
            .getContentAsString(StandardCharsets.UTF_8);
    return MAPPER.readTree(body);
  }

  private static List<UUID> ids(JsonNode calls) {
    return calls.valueStream().map(n -> UUID.fromString(n.get("id").asString())).toList();
  }
}
