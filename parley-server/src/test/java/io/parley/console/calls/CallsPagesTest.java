package io.parley.console.calls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.deque.html.axecore.playwright.AxeBuilder;
import com.deque.html.axecore.results.AxeResults;
import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.FormData;
import com.microsoft.playwright.options.RequestOptions;
import io.parley.auth.Role;
import io.parley.calls.CallAnalysis;
import io.parley.calls.CallDirection;
import io.parley.calls.CallOutcome;
import io.parley.calls.CallRecords;
import io.parley.calls.CallStatus;
import io.parley.calls.NewCall;
import io.parley.calls.NewSegment;
import io.parley.calls.NewToolInvocation;
import io.parley.calls.Recording;
import io.parley.calls.SegmentRole;
import io.parley.calls.StatusUpdate;
import io.parley.calls.ToolStatus;
import io.parley.calls.TurnTimings;
import io.parley.shared.Organisations;
import io.parley.sim.Sim;
import io.parley.sim.SimConfig;
import io.parley.support.Accounts;
import io.parley.support.DatabaseCleaner;
import io.parley.support.PromptRows;
import io.parley.support.SimProviders;
import io.parley.support.SimTwilio;
import io.parley.support.Wavs;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

/**
 * The console's calls pages in the system Chromium: the history filtered, sorted, refused input and
 * its CSV; a recorded call (its WAV held by the Twilio simulator) played and sought from its
 * transcript, its tools, latency bars and analysis; an ADMIN deleting the recording; a VIEWER with
 * no player, no delete button and hand-made requests refused. axe-core on each page; screenshots
 * {@code calls.png} and {@code call-detail.png}. The render times of the two pages are printed.
 */
@Tag("db")
@Tag("console")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureMockMvc
@ActiveProfiles("test")
class CallsPagesTest {

  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path SCREENSHOTS =
      Path.of(System.getProperty("parley.console.screenshots", "target/console-screenshots"));
  private static final UUID PROMPT = UUID.fromString("11111111-1111-1111-1111-111111111111");
  private static final UUID AGENT = UUID.fromString("44444444-4444-4444-4444-444444444444");

  /** Twelve seconds of a tone: 16-bit PCM at 8 kHz, Twilio's format, which Chromium plays. */
  private static final int SECONDS = 12;

  @AutoClose
  private static final Sim SIM = Sim.start(SimConfig.defaults().withTwilio(SimTwilio.owning()));

  @DynamicPropertySource
  static void twilio(DynamicPropertyRegistry registry) {
    SimProviders.twilio(registry, SIM);
  }

  private static Playwright playwright;
  private static Browser browser;

  @LocalServerPort int port;
  @Autowired DataSource dataSource;
  @Autowired JdbcClient jdbc;
  @Autowired MockMvc mvc;
  @Autowired CallRecords records;

  private BrowserContext context;
  private Page page;
  private Accounts accounts;
  private UUID recorded;
  private String recordingSid;

  @BeforeAll
  static void launchChromium() {
    assumeTrue(
        Files.isExecutable(CHROMIUM),
        "The console's browser tests need Chromium at /usr/bin/chromium"
            + " (apt-get install -y chromium); .ci/run installs it");
    playwright = Playwright.create();
    browser =
        playwright
            .chromium()
            .launch(
                new BrowserType.LaunchOptions()
                    .setExecutablePath(CHROMIUM)
                    .setHeadless(true)
                    .setArgs(
                        List.of(
                            "--no-sandbox",
                            "--disable-gpu",
                            "--disable-background-networking",
                            "--disable-component-update",
                            "--no-first-run",
                            "--mute-audio",
                            "--autoplay-policy=no-user-gesture-required")));
  }

  @AfterAll
  static void closeChromium() {
    if (playwright != null) {
      playwright.close();
    }
  }

  @BeforeEach
  void seed() {
    DatabaseCleaner.clean(dataSource);
    accounts = new Accounts(mvc);
    PromptRows.insert(dataSource, PROMPT, "Reminders", "You remind patients.", UUID.randomUUID());
    Timestamp now = Timestamp.from(Instant.now());
    jdbc.sql(
            """
            INSERT INTO agent (id, organisation_id, name, prompt_id, prompt_version, config,
              version, created_at, updated_at)
            VALUES (?, ?, 'Clinic reminders', ?, 1, '{}', 1, ?, ?)
            """)
        .params(AGENT, Organisations.DEFAULT_ID, PROMPT, now, now)
        .update();
    // Created a moment before they were answered, as a real call is.
    Instant start = Instant.now().plusSeconds(1);
    recorded = recordedCall(start);
    ended(
        call(CallDirection.OUTBOUND, "+14155550100", "+14155550124", "CAbusy"),
        start,
        0,
        CallStatus.NO_ANSWER);
    ended(
        call(CallDirection.INBOUND, "+14155550999", "+14155550100", "CAin"),
        start,
        40,
        CallStatus.COMPLETED);
    ended(
        call(CallDirection.OUTBOUND, "+14155550100", "+14155550126", "CAfail"),
        start,
        0,
        CallStatus.FAILED);
    context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 800));
    page = context.newPage();
  }

  @AfterEach
  void closeContext() {
    if (context != null) {
      context.close();
    }
  }

  @Test
  void anAdminFiltersSortsExportsPlaysSeeksAndDeletesTheRecording() {
    Accounts.Session admin = accounts.firstAdmin();
    signIn(admin);
    page.click("nav >> text=Calls");
    assertThat(page.url()).endsWith("/console/calls");
    assertThat(page.textContent("#count")).contains("1–4 of 4 calls");
    check("calls");
    printRenderTime("/console/calls", 4);

    // Filter: the inbound call alone.
    page.selectOption("#direction", "inbound");
    page.click("main button[type=submit]");
    assertThat(page.url()).contains("direction=inbound");
    assertThat(page.locator("table.calls tbody tr").count()).isEqualTo(1);
    assertThat(page.textContent("table.calls tbody")).contains("+14155550999");

    // Sort: longest first, then shortest first, the filter cleared.
    page.click("text=Clear");
    page.click("table.calls th >> text=Duration");
    assertThat(page.getAttribute("th:has-text('Duration')", "aria-sort")).isEqualTo("descending");
    assertThat(firstRowCell(8)).isEqualTo("0:40");
    page.click("table.calls th >> text=Duration");
    assertThat(page.getAttribute("th:has-text('Duration')", "aria-sort")).isEqualTo("ascending");
    assertThat(firstRowCell(8)).isEqualTo("0:00");

    // Refused input, named under its field as the API names it.
    page.fill("#q", "ab");
    page.click("main button[type=submit]");
    assertThat(page.textContent("#q-error")).contains("at least 3 characters");
    assertThat(page.getAttribute("#q", "aria-invalid")).isEqualTo("true");

    // The CSV export: the session's, the list's filters, audited.
    page.navigate(url("/console/calls?hasRecording=true"));
    String export = page.getAttribute("a:has-text('Export CSV')", "href");
    APIResponse csv = context.request().get(url(export));
    assertThat(csv.status()).isEqualTo(200);
    assertThat(csv.headers().get("content-type")).startsWith("text/csv");
    assertThat(csv.text().lines().toList())
        .hasSize(2)
        .first()
        .asString()
        .startsWith("call_id,created_at");
    assertThat(csv.text()).contains(recorded.toString());
    assertThat(audits("calls.exported")).isEqualTo(1);

    // The recorded call: tools, latency bars, analysis, and the player on a signed link.
    page.click("a[aria-label^='Open the call to +14155550123']");
    assertThat(page.url()).endsWith("/console/calls/" + recorded);
    assertThat(page.textContent("table.tools")).contains("record_answer", "\"confirmed\" : true");
    assertThat(page.locator("table.latency tbody tr").count()).isEqualTo(2);
    assertThat(page.locator("table.latency rect.bar").count()).isEqualTo(5);
    assertThat(page.getAttribute("table.latency svg >> nth=1", "aria-label"))
        .contains("speech to text 180 ms", "model 290 ms", "voice 200 ms");
    assertThat(page.textContent("main")).contains("The patient confirmed tomorrow's visit.");
    assertThat(page.getAttribute("#player", "src"))
        .startsWith("/api/calls/" + recorded + "/recording/audio?expires=");
    waitUntil("document.getElementById('player').duration > 11");

    // Play from the second caller line (8 s in): the player seeks there and plays on.
    page.click("button[aria-label='Play from 0:08']");
    waitUntil(
        "(() => { const p = document.getElementById('player');"
            + " return !p.paused && p.currentTime >= 8 && p.currentTime < 10; })()");
    page.waitForSelector(".transcript .line.current >> text=Thank you, bye.");
    check("call-detail");
    // And back to the start of the agent's reply at 5 s.
    page.click("button[aria-label='Play from 0:05']");
    waitUntil(
        "(() => { const p = document.getElementById('player');"
            + " return p.currentTime >= 5 && p.currentTime < 7.5; })()");
    assertThat(audits("recording.link_issued")).isGreaterThanOrEqualTo(1);
    assertThat(audits("recording.played")).isGreaterThanOrEqualTo(1);
    printRenderTime("/console/calls/" + recorded, 4);

    // The ADMIN deletes it, confirming on a page of its own: the player goes.
    page.click("text=Delete the recording…");
    assertThat(page.textContent("h1")).isEqualTo("Delete the recording?");
    check("call-delete");
    page.click("main button:has-text('Delete the recording')");
    assertThat(page.url()).endsWith("/console/calls/" + recorded + "?recordingDeleted");
    assertThat(page.innerText("main .notice")).contains("has been deleted");
    assertThat(page.locator("#player").count()).isZero();
    assertThat(page.textContent("main")).contains("The recording was deleted on");
    assertThat(SIM.twilio().hasRecording(recordingSid)).isFalse();
    assertThat(audits("recording.deleted")).isEqualTo(1);
  }

  @Test
  void aViewerHasNoPlayerNoDeleteAndNoExportAndHandMadeRequestsAreRefused() {
    accounts.admin();
    Accounts.Session viewer = accounts.user(Role.VIEWER);
    signIn(viewer);
    page.click("nav >> text=Calls");
    assertThat(page.locator("a:has-text('Export CSV')").count()).isZero();
    page.navigate(url("/console/calls/" + recorded));
    assertThat(page.locator("audio").count()).isZero();
    assertThat(page.innerText("main"))
        .contains("Listening to recordings needs the SUPERVISOR role");
    assertThat(page.locator("text=Delete the recording").count()).isZero();
    assertThat(page.locator(".transcript button").count()).isZero();
    check("call-detail-viewer");

    String header = page.getAttribute("meta[name=csrf-header]", "content");
    String token = page.getAttribute("meta[name=csrf-token]", "content");
    APIResponse delete =
        context
            .request()
            .post(
                url("/console/calls/" + recorded + "/recording/delete"),
                RequestOptions.create().setHeader(header, token).setForm(FormData.create()));
    assertThat(delete.status()).isEqualTo(403);
    APIResponse link =
        context
            .request()
            .post(
                url("/console/calls/" + recorded + "/recording/link"),
                RequestOptions.create().setHeader(header, token));
    assertThat(link.status()).isEqualTo(403);
    assertThat(context.request().get(url("/console/calls/export.csv")).status()).isEqualTo(403);
    assertThat(SIM.twilio().hasRecording(recordingSid)).isTrue();
    assertThat(audits("recording.deleted")).isZero();
    assertThat(audits("calls.exported")).isZero();

    // A phone's width: no sideways scrolling (the tables scroll inside their own box).
    page.setViewportSize(390, 844);
    for (String path : List.of("/console/calls", "/console/calls/" + recorded)) {
      page.navigate(url(path));
      assertThat(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))
          .as("no sideways scrolling at 390 px on %s", path)
          .isEqualTo(true);
    }
    check("call-detail-390px");

    page.navigate(url("/console/calls/" + UUID.randomUUID()));
    assertThat(page.textContent("h1")).isEqualTo("Not found");
  }

  /** A finished call with a recording, a transcript, a tool call, two timed turns, an analysis. */
  private UUID recordedCall(Instant start) {
    UUID id = call(CallDirection.OUTBOUND, "+14155550100", "+14155550123", "CArec");
    ended(id, start, SECONDS, CallStatus.COMPLETED);
    records.appendSegment(
        id,
        new NewSegment(SegmentRole.AGENT, "Hello, this is Asha from the clinic.", 0L, null, false));
    records.appendSegment(
        id, new NewSegment(SegmentRole.CALLER, "Yes, speaking.", 2500L, 4000L, false));
    records.appendSegment(
        id,
        new NewSegment(
            SegmentRole.AGENT, "Your appointment is tomorrow at nine.", 5000L, null, false));
    records.appendSegment(
        id, new NewSegment(SegmentRole.CALLER, "Thank you, bye.", 8000L, 9500L, false));
    records.appendToolInvocation(
        id,
        new NewToolInvocation(
            "record_answer",
            "call_1",
            "{\"confirmed\": true}",
            "{\"ok\": true}",
            ToolStatus.OK,
            start.plusSeconds(9),
            12L));
    Instant t = start.plusSeconds(1);
    records.appendTurn(
        id,
        new TurnTimings(
            null,
            null,
            t,
            t.plusMillis(310),
            t.plusMillis(330),
            t.plusMillis(520),
            t.plusMillis(540),
            false));
    Instant u = start.plusSeconds(4);
    records.appendTurn(
        id,
        new TurnTimings(
            u,
            u.plusMillis(180),
            u.plusMillis(190),
            u.plusMillis(480),
            u.plusMillis(490),
            u.plusMillis(690),
            u.plusMillis(700),
            false));
    records.recordAnalysis(
        id,
        new CallAnalysis(
            CallAnalysis.Status.DONE,
            "The patient confirmed tomorrow's visit.",
            "confirmed",
            "positive",
            "{\"confirmed\": true}",
            null,
            "openai",
            "gpt-4o-mini",
            420,
            38,
            1,
            null));
    recordingSid = SIM.twilio().holdRecording("CArec", tone(), SECONDS);
    records.recordRecording(
        id,
        new Recording(
            recordingSid,
            SIM.twilioApiUrl() + "/2010-04-01/Accounts/AC/Recordings/" + recordingSid,
            SECONDS));
    return id;
  }

  private UUID call(CallDirection direction, String from, String to, String sid) {
    return records
        .create(
            NewCall.builder(direction, from, to)
                .agent(AGENT, "{\"name\": \"Clinic reminders\"}")
                .prompt(PROMPT, 1)
                .callSid(sid)
                .build())
        .id();
  }

  private void ended(UUID id, Instant start, int seconds, CallStatus end) {
    if (end == CallStatus.COMPLETED) {
      records.applyStatus(id, StatusUpdate.of(CallStatus.IN_PROGRESS, start));
      records.finish(id, CallOutcome.COMPLETED, "goodbye", start.plusSeconds(seconds));
    }
    records.applyStatus(id, new StatusUpdate(end, start.plusSeconds(seconds), seconds));
  }

  private static byte[] tone() {
    int samples = 8000 * SECONDS;
    ByteBuffer pcm = ByteBuffer.allocate(samples * 2).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < samples; i++) {
      pcm.putShort((short) (8000 * Math.sin(2 * Math.PI * 440 * i / 8000.0)));
    }
    return Wavs.of(1, 1, 8000, 16, pcm.array(), false);
  }

  /** The page's server time, seen from the client over loopback: the median of ten requests. */
  private void printRenderTime(String path, int calls) {
    List<Long> times = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      long started = System.nanoTime();
      APIResponse response = context.request().get(url(path));
      times.add((System.nanoTime() - started) / 1_000);
      assertThat(response.status()).isEqualTo(200);
    }
    times.sort(Long::compare);
    System.out.printf(
        "Render time of %s with %d call(s) in the database: median %.1f ms, fastest %.1f ms"
            + " (10 requests)%n",
        path, calls, times.get(5) / 1000.0, times.get(0) / 1000.0);
  }

  /**
   * Polls a condition in the page. Playwright's waitForFunction evaluates its text with eval, which
   * the console's Content-Security-Policy refuses (as it should); evaluate does not.
   */
  private void waitUntil(String condition) {
    long deadline = System.nanoTime() + 15_000_000_000L;
    while (!Boolean.TRUE.equals(page.evaluate(condition))) {
      assertThat(System.nanoTime()).as("waiting for %s", condition).isLessThan(deadline);
      page.waitForTimeout(50);
    }
  }

  private String firstRowCell(int column) {
    return page.textContent("table.calls tbody tr:first-child td:nth-child(" + column + ")").trim();
  }

  private long audits(String action) {
    return jdbc.sql("SELECT COUNT(*) FROM audit_log WHERE action = ?")
        .param(action)
        .query(Long.class)
        .single();
  }

  private void signIn(Accounts.Session who) {
    page.navigate(url("/login"));
    page.fill("#email", who.email());
    page.fill("#password", who.password());
    page.click("main button[type=submit]");
    page.waitForLoadState();
  }

  /** axe-core finds no serious or critical violation; the page's screenshot is written. */
  private void check(String name) {
    AxeResults results = new AxeBuilder(page).analyze();
    List<String> serious =
        results.getViolations().stream()
            .filter(v -> "serious".equals(v.getImpact()) || "critical".equals(v.getImpact()))
            .map(v -> v.getId() + " (" + v.getImpact() + "): " + v.getHelp() + " " + v.getNodes())
            .toList();
    assertThat(serious).as("axe-core on %s", name).isEmpty();
    page.screenshot(
        new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve(name + ".png")).setFullPage(true));
  }

  private String url(String path) {
    return "http://localhost:" + port + path;
  }
}
