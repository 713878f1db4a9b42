package io.parley.calls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.patch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.parley.auth.Role;
import io.parley.auth.SignIns.SignIn;
import io.parley.auth.SigningKeys;
import io.parley.sim.Sim;
import io.parley.sim.SimConfig;
import io.parley.support.Accounts;
import io.parley.support.DatabaseCleaner;
import io.parley.support.SimTwilio;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Recording playback against the Twilio simulator, with real accounts and tokens: a signed link for
 * the playback role, the audio streamed from Twilio through it with byte ranges, refusals for other
 * roles and for expired, forged or foreign links, 404 without a recording, and the audit log.
 */
@Tag("db")
@SpringBootTest
@AutoConfigureMockMvc
@ActiveProfiles("test")
class RecordingPlaybackApiTest {

  private static final JsonMapper MAPPER = JsonMapper.builder().build();

  @AutoClose
  private static final Sim SIM = Sim.start(SimConfig.defaults().withTwilio(SimTwilio.owning()));

  /** A WAV file's worth of distinct bytes, so every range is recognisable. */
  private static final byte[] WAV = wav(5000);

  @DynamicPropertySource
  static void twilio(DynamicPropertyRegistry registry) {
    io.parley.support.SimProviders.twilio(registry, SIM);
  }

  @Autowired MockMvc mvc;
  @Autowired DataSource dataSource;
  @Autowired JdbcClient jdbc;
  @Autowired CallRecords records;
  @Autowired SigningKeys keys;

  private Accounts accounts;
  private UUID recorded;
  private UUID silent;
  private String recordingSid;

  @BeforeEach
  void setUp() {
    DatabaseCleaner.clean(dataSource);
    CallFixtures.createAgents(dataSource);
    accounts = new Accounts(mvc);
    recorded = records.create(CallFixtures.outbound("+14155550001").callSid("CArec").build()).id();
    recordingSid = SIM.twilio().holdRecording("CArec", WAV, 3);
    records.recordRecording(
        recorded,
        new Recording(
            recordingSid,
            SIM.twilioApiUrl() + "/2010-04-01/Accounts/AC/Recordings/" + recordingSid,
            3));
    silent = records.create(CallFixtures.outbound("+14155550002").callSid("CAsil").build()).id();
  }

  @Test
  void aSupervisorsLinkPlaysTheRecordingWithoutABearerAndIsAudited() throws Exception {
    Accounts.Session supervisor = accounts.user(Role.SUPERVISOR);
    JsonNode link = link(supervisor, recorded);
    String url = link.get("url").asString();
    assertThat(url)
        .startsWith("http://localhost/api/calls/" + recorded + "/recording/audio?expires=")
        .contains("&sig=")
        .doesNotContain(SIM.twilio().authToken());
    Instant expiresAt = Instant.parse(link.get("expiresAt").asString());
    assertThat(Duration.between(Instant.now(), expiresAt))
        .isBetween(Duration.ofMinutes(4), Duration.ofMinutes(5));

    MockHttpServletResponse whole =
        mvc.perform(get(URI.create(url)))
            .andExpect(status().isOk())
            .andExpect(content().contentType("audio/wav"))
            .andExpect(header().string("Accept-Ranges", "bytes"))
            .andExpect(header().string("Content-Length", Integer.toString(WAV.length)))
            .andExpect(header().string("Cache-Control", "no-store"))
            .andReturn()
            .getResponse();
    assertThat(whole.getContentAsByteArray()).isEqualTo(WAV);
    // A stale bearer header does not spoil the link: the signature is the credential here.
    mvc.perform(get(URI.create(url)).header("Authorization", "Bearer expired.or.garbage"))
        .andExpect(status().isOk());
    // Only GET of the audio skips the bearer check.
    mvc.perform(post(URI.create(url))).andExpect(status().isUnauthorized());
    mvc.perform(get("/api/calls/{id}/recording/link", recorded))
        .andExpect(status().isUnauthorized());

    assertThat(audit("recording.link_issued"))
        .singleElement()
        .satisfies(
            row -> {
              assertThat(row.get("actor_id")).isEqualTo(supervisor.userId().toString());
              assertThat(row.get("target_id")).isEqualTo(recorded.toString());
              assertThat(row.get("details")).contains(recordingSid);
            });
    assertThat(audit("recording.played"))
        .hasSize(2)
        .first()
        .satisfies(
            row -> {
              assertThat(row.get("actor_id")).isEqualTo(supervisor.userId().toString());
              assertThat(row.get("target_id")).isEqualTo(recorded.toString());
            });
  }

  @Test
  void rangesSeekWithinTheSameLinkAndABadRangeIs416() throws Exception {
    URI url = URI.create(link(accounts.user(Role.ADMIN), recorded).get("url").asString());

    MockHttpServletResponse middle =
        mvc.perform(get(url).header("Range", "bytes=100-199"))
            .andExpect(status().isPartialContent())
            .andExpect(content().contentType("audio/wav"))
            .andExpect(header().string("Content-Range", "bytes 100-199/" + WAV.length))
            .andExpect(header().string("Content-Length", "100"))
            .andReturn()
            .getResponse();
    assertThat(middle.getContentAsByteArray()).isEqualTo(Arrays.copyOfRange(WAV, 100, 200));

    MockHttpServletResponse tail =
        mvc.perform(get(url).header("Range", "bytes=-10"))
            .andExpect(status().isPartialContent())
            .andExpect(
                header()
                    .string(
                        "Content-Range",
                        "bytes " + (WAV.length - 10) + "-" + (WAV.length - 1) + "/" + WAV.length))
            .andReturn()
            .getResponse();
    assertThat(tail.getContentAsByteArray())
        .isEqualTo(Arrays.copyOfRange(WAV, WAV.length - 10, WAV.length));

    mvc.perform(get(url).header("Range", "bytes=" + WAV.length + "-"))
        .andExpect(status().isRequestedRangeNotSatisfiable())
        .andExpect(header().string("Content-Range", "bytes */" + WAV.length));
    for (String bad : List.of("bytes=0-1,5-6", "bytes=9-3", "items=0-1", "bytes=abc")) {
      mvc.perform(get(url).header("Range", bad))
          .andExpect(status().isRequestedRangeNotSatisfiable())
          .andExpect(header().string("Content-Range", "bytes */" + WAV.length));
    }
    mvc.perform(get(url).header("Range", "bytes=" + "9".repeat(5000) + "-"))
        .andExpect(status().isRequestedRangeNotSatisfiable());
    List<Map<String, String>> played = audit("recording.played");
    assertThat(played).hasSize(8);
    assertThat(played.get(0).get("details")).contains("bytes=100-199");
    assertThat(played.get(7).get("details")).hasSizeLessThan(400);
  }

  @Test
  void belowThePlaybackRoleNoLinkIsIssued() throws Exception {
    for (Role role : List.of(Role.OPERATOR, Role.VIEWER)) {
      mvc.perform(
              post("/api/calls/{id}/recording/link", recorded).with(accounts.user(role).bearer()))
          .andExpect(status().isForbidden())
          .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
    }
    mvc.perform(post("/api/calls/{id}/recording/link", recorded))
        .andExpect(status().isUnauthorized());
    assertThat(audit("recording.link_issued")).isEmpty();
  }

  @Test
  void expiredForgedForeignOrIncompleteLinksAre403() throws Exception {
    Accounts.Session supervisor = accounts.user(Role.SUPERVISOR);
    String url = link(supervisor, recorded).get("url").asString();
    String path = "/api/calls/" + recorded + "/recording/audio";
    String query = url.substring(url.indexOf('?') + 1);
    Map<String, String> params = params(query);

    // The signature of another link: one character changed.
    String sig = params.get("sig");
    String forged = (sig.charAt(0) == 'A' ? "B" : "A") + sig.substring(1);
    refused(path + "?" + query.replace(sig, forged));
    // A later expiry under the same signature.
    refused(
        path
            + "?"
            + query.replace(
                "expires=" + params.get("expires"),
                "expires=" + (Long.parseLong(params.get("expires")) + 3600)));
    // Another user's id under the same signature.
    refused(path + "?" + query.replace(params.get("user"), UUID.randomUUID().toString()));
    // The same link for another call.
    refused("/api/calls/" + silent + "/recording/audio?" + query);
    // Pieces missing or malformed.
    refused(path);
    refused(path + "?" + query.replace("&sig=" + sig, ""));
    refused(path + "?" + query.replace("expires=", "expires=x"));
    // Expired: signed with the real key by a clock six minutes behind.
    RecordingLinks past =
        new RecordingLinks(keys, Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-6)));
    refused(
        path
            + "?"
            + past.issue(
                    recorded, new SignIn(supervisor.userId(), Integer.parseInt(params.get("tv"))))
                .query());
    assertThat(audit("recording.played")).isEmpty();

    // And a good link dies with its user's account.
    mvc.perform(get(URI.create(url))).andExpect(status().isOk());
    mvc.perform(
            patch("/api/users/{id}", supervisor.userId())
                .with(accounts.admin().bearer())
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"enabled\": false}"))
        .andExpect(status().isOk());
    refused(url);
  }

  @Test
  void withoutARecordingThereIsNothingToPlay() throws Exception {
    Accounts.Session supervisor = accounts.user(Role.SUPERVISOR);
    mvc.perform(post("/api/calls/{id}/recording/link", silent).with(supervisor.bearer()))
        .andExpect(status().isNotFound())
        .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
    mvc.perform(post("/api/calls/{id}/recording/link", UUID.randomUUID()).with(supervisor.bearer()))
        .andExpect(status().isNotFound());
    mvc.perform(post("/api/calls/{id}/recording/link", "not-an-id").with(supervisor.bearer()))
        .andExpect(status().is4xxClientError());

    // A link that verifies, for a call with no recording yet: 404, not the audio of another.
    RecordingLinks links = new RecordingLinks(keys, Clock.systemUTC());
    mvc.perform(
            get(
                "/api/calls/"
                    + silent
                    + "/recording/audio?"
                    + links.issue(silent, signIn(supervisor)).query()))
        .andExpect(status().isNotFound());

    // Twilio no longer has the recording: 404 too.
    String url = link(supervisor, recorded).get("url").asString();
    SIM.twilio().deleteRecording(recordingSid);
    mvc.perform(get(URI.create(url)))
        .andExpect(status().isNotFound())
        .andExpect(jsonPath("$.detail").value(Matchers.containsString(recordingSid)));
  }

  @Test
  void theCallShowsItsRecordingButNotTwiliosUrl() throws Exception {
    mvc.perform(get("/api/calls/{id}", recorded).with(accounts.user(Role.VIEWER).bearer()))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.recording.sid").value(recordingSid))
        .andExpect(jsonPath("$.recording.durationSeconds").value(3))
        .andExpect(jsonPath("$.recording.url").doesNotExist())
        .andExpect(content().string(Matchers.not(Matchers.containsString("/Recordings/"))));
  }

  @Test
  void aLinkIsOnlyAsGoodAsItsKey() {
    byte[] sig = keys.sign(RecordingLinks.PURPOSE, "a");
    assertThat(keys.verify(RecordingLinks.PURPOSE, "a", sig)).isTrue();
    assertThat(keys.verify(RecordingLinks.PURPOSE, "b", sig)).isFalse();
    // Another purpose signs with another key.
    assertThat(keys.verify("something-else", "a", sig)).isFalse();
    assertThatThrownBy(() -> keys.sign(" ", "a")).isInstanceOf(IllegalArgumentException.class);
  }

  private SignIn signIn(Accounts.Session session) {
    int version =
        jdbc.sql("SELECT token_version FROM app_user WHERE id = :id")
            .param("id", session.userId())
            .query(Integer.class)
            .single();
    return new SignIn(session.userId(), version);
  }

  private JsonNode link(Accounts.Session session, UUID call) throws Exception {
    String body =
        mvc.perform(post("/api/calls/{id}/recording/link", call).with(session.bearer()))
            .andExpect(status().isCreated())
            .andExpect(header().string("Cache-Control", "no-store"))
            .andReturn()
            .getResponse()
            .getContentAsString();
    return MAPPER.readTree(body);
  }

  private void refused(String url) throws Exception {
    mvc.perform(get(URI.create(url)))
        .andExpect(status().isForbidden())
        .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
        .andExpect(header().string("Cache-Control", "no-store"));
  }

  private List<Map<String, String>> audit(String action) {
    return jdbc.sql(
            "SELECT actor_id, target_id, details FROM audit_log WHERE action = :action"
                + " ORDER BY occurred_at")
        .param("action", action)
        .query(
            (rs, n) ->
                Map.of(
                    "actor_id", String.valueOf(rs.getString("actor_id")),
                    "target_id", String.valueOf(rs.getString("target_id")),
                    "details", String.valueOf(rs.getString("details"))))
        .list();
  }

  private static Map<String, String> params(String query) {
    return Arrays.stream(query.split("&"))
        .map(pair -> pair.split("=", 2))
        .collect(java.util.stream.Collectors.toMap(p -> p[0], p -> p[1]));
  }

  private static byte[] wav(int length) {
    byte[] bytes = new byte[length];
    byte[] riff = "RIFF".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    System.arraycopy(riff, 0, bytes, 0, riff.length);
    for (int i = riff.length; i < length; i++) {
      bytes[i] = (byte) (i * 31 + 7);
    }
    return bytes;
  }
}
