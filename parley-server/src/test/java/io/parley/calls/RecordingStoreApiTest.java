package io.parley.calls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.parley.auth.Role;
import io.parley.database.DataDirectory;
import io.parley.sim.Sim;
import io.parley.sim.SimConfig;
import io.parley.support.Accounts;
import io.parley.support.DatabaseCleaner;
import io.parley.support.SimTwilio;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Parley's own encrypted copy of each recording ({@code PARLEY_RECORDING_STORE=local}) against the
 * Twilio simulator: copied by a job once the recording is stored, encrypted on disk, served with
 * ranges after Twilio's copy is gone, deleted from both places by an ADMIN (audited), and kept
 * while the call is on legal hold.
 */
@Tag("db")
@SpringBootTest
@AutoConfigureMockMvc
@ActiveProfiles("test")
class RecordingStoreApiTest {

  private static final JsonMapper MAPPER = JsonMapper.builder().build();

  @AutoClose
  private static final Sim SIM = Sim.start(SimConfig.defaults().withTwilio(SimTwilio.owning()));

  /** 150 KB of distinct bytes behind a RIFF tag: three encrypted segments. */
  private static final byte[] WAV = wav(150_000);

  @DynamicPropertySource
  static void settings(DynamicPropertyRegistry registry) {
    io.parley.support.SimProviders.twilio(registry, SIM);
    byte[] key = new byte[32];
    new Random(17).nextBytes(key);
    registry.add("parley.recording.store", () -> "local");
    registry.add("parley.recording.key", () -> Base64.getEncoder().encodeToString(key));
  }

  @Autowired MockMvc mvc;
  @Autowired DataSource dataSource;
  @Autowired JdbcClient jdbc;
  @Autowired CallRecords records;
  @Autowired DataDirectory data;

  private Accounts accounts;
  private UUID call;
  private String recordingSid;

  @BeforeEach
  void setUp() {
    DatabaseCleaner.clean(dataSource);
    CallFixtures.createAgents(dataSource);
    accounts = new Accounts(mvc);
    call = records.create(CallFixtures.outbound("+14155550001").callSid("CAkeep").build()).id();
    recordingSid = SIM.twilio().holdRecording("CAkeep", WAV, 9);
    records.recordRecording(call, recording(recordingSid));
  }

  @Test
  void theCopyIsEncryptedAndPlaysWithRangesAfterTwiliosCopyIsGone() throws Exception {
    Path copy = awaitCopy();
    byte[] stored = Files.readAllBytes(copy);
    assertThat(new String(stored, 0, 8, StandardCharsets.US_ASCII)).isEqualTo("PRLYREC1");
    assertThat(Collections.indexOf(stored, Arrays.copyOfRange(WAV, 2000, 2064))).isEqualTo(-1);

    SIM.twilio().deleteRecording(recordingSid);
    Accounts.Session supervisor = accounts.user(Role.SUPERVISOR);
    String url = link(supervisor);
    byte[] whole =
        mvc.perform(get(URI.create(url)))
            .andExpect(status().isOk())
            .andExpect(content().contentType("audio/wav"))
            .andExpect(header().string("Content-Length", Integer.toString(WAV.length)))
            .andExpect(header().string("Accept-Ranges", "bytes"))
            .andReturn()
            .getResponse()
            .getContentAsByteArray();
    assertThat(whole).isEqualTo(WAV);

    // Across the first segment boundary (64 KiB), as a seek would ask.
    byte[] part =
        mvc.perform(get(URI.create(url)).header("Range", "bytes=65500-65599"))
            .andExpect(status().isPartialContent())
            .andExpect(header().string("Content-Range", "bytes 65500-65599/" + WAV.length))
            .andReturn()
            .getResponse()
            .getContentAsByteArray();
    assertThat(part).isEqualTo(Arrays.copyOfRange(WAV, 65500, 65600));
    mvc.perform(get(URI.create(url)).header("Range", "bytes=-10"))
        .andExpect(status().isPartialContent())
        .andExpect(
            header()
                .string(
                    "Content-Range",
                    "bytes " + (WAV.length - 10) + "-" + (WAV.length - 1) + "/" + WAV.length));
    mvc.perform(get(URI.create(url)).header("Range", "bytes=" + WAV.length + "-"))
        .andExpect(status().isRequestedRangeNotSatisfiable())
        .andExpect(header().string("Content-Range", "bytes */" + WAV.length));
    mvc.perform(get(URI.create(url)).header("Range", "bytes=0-1,5-9"))
        .andExpect(status().isRequestedRangeNotSatisfiable());

    mvc.perform(get("/api/calls/{id}", call).with(supervisor.bearer()))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.recording.sid").value(recordingSid))
        .andExpect(jsonPath("$.recording.storedLocallyAt").isNotEmpty());
  }

  @Test
  void anAdminDeletesBothCopiesAndALateCallbackCannotBringItBack() throws Exception {
    Path copy = awaitCopy();
    mvc.perform(
            delete("/api/calls/{id}/recording", call).with(accounts.user(Role.SUPERVISOR).bearer()))
        .andExpect(status().isForbidden());
    assertThat(SIM.twilio().hasRecording(recordingSid)).isTrue();

    Accounts.Session admin = accounts.admin();
    mvc.perform(delete("/api/calls/{id}/recording", call).with(admin.bearer()))
        .andExpect(status().isNoContent());
    assertThat(SIM.twilio().hasRecording(recordingSid)).isFalse();
    assertThat(copy).doesNotExist();
    mvc.perform(get("/api/calls/{id}", call).with(admin.bearer()))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.recording").doesNotExist())
        .andExpect(jsonPath("$.retention.recordingDeletedAt").isNotEmpty());
    assertThat(audit("recording.deleted"))
        .singleElement()
        .satisfies(
            details -> {
              JsonNode entry = MAPPER.readTree(details);
              assertThat(entry.get("recordingSid").asString()).isEqualTo(recordingSid);
              assertThat(entry.get("localCopy").asBoolean()).isTrue();
              assertThat(entry.get("by").asString()).isEqualTo("admin");
            });

    // Twilio repeats the recording callback: the deletion stands.
    records.recordRecording(call, recording(recordingSid));
    mvc.perform(delete("/api/calls/{id}/recording", call).with(admin.bearer()))
        .andExpect(status().isNotFound())
        .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
    mvc.perform(post("/api/calls/{id}/recording/link", call).with(admin.bearer()))
        .andExpect(status().isNotFound());
  }

  @Test
  void aCallOnLegalHoldKeepsItsRecordingUntilReleased() throws Exception {
    awaitCopy();
    Accounts.Session admin = accounts.admin();
    mvc.perform(
            put("/api/calls/{id}/legal-hold", call)
                .with(accounts.user(Role.SUPERVISOR).bearer())
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"hold\":true,\"reason\":\"Case 42\"}"))
        .andExpect(status().isForbidden());
    mvc.perform(
            put("/api/calls/{id}/legal-hold", call)
                .with(admin.bearer())
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"hold\":true}"))
        .andExpect(status().isUnprocessableEntity())
        .andExpect(jsonPath("$.errors.reason").exists());
    mvc.perform(
            put("/api/calls/{id}/legal-hold", call)
                .with(admin.bearer())
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"reason\":\"Case 42\"}"))
        .andExpect(status().isUnprocessableEntity())
        .andExpect(jsonPath("$.errors.hold").exists());
    mvc.perform(
            put("/api/calls/{id}/legal-hold", UUID.randomUUID())
                .with(admin.bearer())
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"hold\":true,\"reason\":\"Case 42\"}"))
        .andExpect(status().isNotFound());
    mvc.perform(
            put("/api/calls/{id}/legal-hold", call)
                .with(admin.bearer())
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"hold\":true,\"reason\":\"Case 42\"}"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.hold").value(true));

    mvc.perform(delete("/api/calls/{id}/recording", call).with(admin.bearer()))
        .andExpect(status().isConflict());
    assertThat(SIM.twilio().hasRecording(recordingSid)).isTrue();
    mvc.perform(get("/api/calls/{id}", call).with(admin.bearer()))
        .andExpect(jsonPath("$.retention.legalHold").value(true))
        .andExpect(jsonPath("$.retention.legalHoldReason").value("Case 42"));

    mvc.perform(
            put("/api/calls/{id}/legal-hold", call)
                .with(admin.bearer())
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"hold\":false}"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.hold").value(false));
    mvc.perform(delete("/api/calls/{id}/recording", call).with(admin.bearer()))
        .andExpect(status().isNoContent());
    assertThat(audit("call.legal_hold_set")).singleElement().asString().contains("Case 42");
    assertThat(audit("call.legal_hold_released")).hasSize(1);
  }

  private Path awaitCopy() {
    Path copy = data.resolve("recordings").resolve(call + ".rec");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                jdbc.sql("SELECT recording_stored_at FROM call_record WHERE id = :id")
                        .param("id", call)
                        .query((rs, n) -> rs.getTimestamp(1) != null)
                        .single()
                    && Files.exists(copy));
    return copy;
  }

  private Recording recording(String sid) {
    return new Recording(sid, SIM.twilioApiUrl() + "/2010-04-01/Accounts/AC/Recordings/" + sid, 9);
  }

  private String link(Accounts.Session session) throws Exception {
    String body =
        mvc.perform(post("/api/calls/{id}/recording/link", call).with(session.bearer()))
            .andExpect(status().isCreated())
            .andReturn()
            .getResponse()
            .getContentAsString();
    return MAPPER.readTree(body).get("url").asString();
  }

  private List<String> audit(String action) {
    return jdbc.sql("SELECT details FROM audit_log WHERE action = :action ORDER BY occurred_at")
        .param("action", action)
        .query(String.class)
        .list();
  }

  private static byte[] wav(int length) {
    byte[] bytes = new byte[length];
    new Random(3).nextBytes(bytes);
    System.arraycopy("RIFF".getBytes(StandardCharsets.US_ASCII), 0, bytes, 0, 4);
    return bytes;
  }

  /** Byte search, for "the plaintext is not on disk". */
  private static final class Collections {
    static int indexOf(byte[] haystack, byte[] needle) {
      outer:
      for (int i = 0; i + needle.length <= haystack.length; i++) {
        for (int j = 0; j < needle.length; j++) {
          if (haystack[i + j] != needle[j]) {
            continue outer;
          }
        }
        return i;
      }
      return -1;
    }
  }
}
