package io.parley.console.prompts;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.FormData;
import com.microsoft.playwright.options.RequestOptions;
import io.parley.auth.Role;
import io.parley.sim.Sim;
import io.parley.sim.SimConfig;
import io.parley.sim.llm.LlmConfig;
import io.parley.sim.llm.LlmConfig.Rule;
import io.parley.sim.llm.LlmConfig.ToolCall;
import io.parley.sim.llm.LlmConfig.ToolCallStyle;
import io.parley.support.Accounts;
import io.parley.support.AgentRequests;
import io.parley.support.DatabaseCleaner;
import io.parley.support.PromptRows;
import io.parley.support.SimProviders;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
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
import tools.jackson.databind.JsonNode;

/**
 * The playground chat in the system Chromium against the simulated model (its own Spring context:
 * the model must point at the simulator): an operator starts a session with an agent (a missing
 * required lead value refused first, under the field), a streamed reply appears, a tool the model
 * calls is shown as a dry-run card with the banner of how the call would have ended, and Clear
 * starts an empty session; a VIEWER gets no playground, even by a hand-made post.
 */
@Tag("db")
@Tag("console")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureMockMvc
@ActiveProfiles("test")
class PlaygroundPageTest {

  static final UUID PROMPT = UUID.fromString("66666666-4444-4444-4444-444444444444");
  static final UUID AUTHOR = UUID.fromString("77777777-5555-5555-5555-555555555555");

  @AutoClose
  static final Sim SIM =
      Sim.start(
          SimConfig.defaults()
              .withLlm(
                  LlmConfig.defaults()
                      .withRules(
                          List.of(
                              Rule.user("opening hours", "We are open from noon until eleven."),
                              Rule.userToolCalls(
                                  "do not call",
                                  ToolCallStyle.WHOLE,
                                  new ToolCall("opt_out", "{}"))))));

  @DynamicPropertySource
  static void simulators(DynamicPropertyRegistry registry) {
    SimProviders.all(registry, SIM);
  }

  private static Playwright playwright;
  private static Browser browser;

  @LocalServerPort int port;
  @Autowired DataSource dataSource;
  @Autowired JdbcClient jdbc;
  @Autowired MockMvc mvc;

  @BeforeAll
  static void launchChromium() {
    playwright = Chromium.playwright();
    browser = Chromium.launch(playwright);
  }

  @AfterAll
  static void closeChromium() {
    if (playwright != null) {
      playwright.close();
    }
  }

  @Test
  void anOperatorChatsWithAnAgentWhoseToolsRunDry() throws Exception {
    DatabaseCleaner.clean(dataSource);
    PromptRows.insert(
        dataSource,
        PROMPT,
        "Bookings",
        "You take table bookings for {{restaurant}}.",
        AUTHOR,
        "[{\"name\": \"restaurant\", \"required\": true}]");
    Accounts accounts = new Accounts(mvc);
    accounts.firstAdmin();
    Accounts.Session operator = accounts.user(Role.OPERATOR);
    Accounts.Session viewer = accounts.user(Role.VIEWER);
    JsonNode agent =
        new AgentRequests(mvc, operator.bearer())
            .create(
                """
                {"name": "Bella", "promptId": "%s", "greeting": "Hello, this is Bella's.",
                 "voice": {"provider": "elevenlabs", "voiceId": "v1"},
                 "llm": {"model": "grok-4-fast-non-reasoning"},
                 "tools": [{"type": "opt_out"}]}
                """
                    .formatted(PROMPT));
    String agentId = agent.path("id").asString();
    assertThat(agentId).as(agent.toString()).isNotEmpty();

    try (BrowserContext context =
        browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 800))) {
      Page page = context.newPage();
      Chromium.signIn(page, url(""), operator);
      page.navigate(url("/console/prompts"));
      Chromium.timed(page, "/console/prompts/playground", () -> page.click("text=Playground"));
      page.fill("#agentId", agentId);
      page.click("main button[type=submit]");
      assertThat(page.textContent("#variables-error")).contains("restaurant", "required");
      assertThat(page.getAttribute("#variables", "aria-invalid")).isEqualTo("true");
      Chromium.check(page, "playground-start-error");

      page.fill("#variables", "restaurant=Bella's\nphone=+14155550177");
      Chromium.timed(page, "playground session", () -> page.click("main button[type=submit]"));
      assertThat(page.textContent("#chat")).contains("Hello, this is Bella's.");

      page.fill("#text", "What are your opening hours?");
      page.click("#message-form button[type=submit]");
      page.waitForSelector("#chat .chat-assistant >> nth=1");
      page.waitForCondition(
          () -> page.locator("#chat .chat-assistant").nth(1).textContent().endsWith("eleven."));
      assertThat(page.locator("#chat .chat-user").textContent())
          .isEqualTo("What are your opening hours?");
      assertThat(page.locator("#chat .chat-assistant").nth(1).textContent())
          .isEqualTo("We are open from noon until eleven.");

      page.fill("#text", "Please do not call me again");
      page.click("#message-form button[type=submit]");
      page.waitForSelector("#ended");
      assertThat(page.textContent("#chat .chat-tool"))
          .contains("Tool opt_out (dry run)", "{}", "would add +14155550177");
      assertThat(page.textContent("#ended")).contains("opted_out");
      assertThat(jdbc.sql("SELECT COUNT(*) FROM do_not_call").query(Integer.class).single())
          .isZero();
      Chromium.check(page, "playground");

      String before = page.url();
      page.click("text=Clear");
      page.waitForLoadState();
      assertThat(page.url()).isNotEqualTo(before);
      assertThat(page.locator("#chat li").allTextContents().stream().map(String::strip))
          .containsExactly("Hello, this is Bella's.");
      assertThat(page.locator("#message-form").count()).isOne();
      // The old session is gone.
      assertThat(page.navigate(before).status()).isEqualTo(404);
    }

    try (BrowserContext context =
        browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 800))) {
      Page page = context.newPage();
      Chromium.signIn(page, url(""), viewer);
      page.navigate(url("/console/prompts/playground"));
      assertThat(page.textContent("h1")).isEqualTo("Not allowed");
      page.navigate(url("/console"));
      APIResponse post =
          context
              .request()
              .post(
                  url("/console/prompts/playground"),
                  RequestOptions.create()
                      .setHeader(
                          page.getAttribute("meta[name=csrf-header]", "content"),
                          page.getAttribute("meta[name=csrf-token]", "content"))
                      .setForm(
                          FormData.create()
                              .set("agentId", agentId)
                              .set("variables", "restaurant=X")));
      assertThat(post.status()).isEqualTo(403);
      assertThat(jdbc.sql("SELECT COUNT(*) FROM playground_session").query(Integer.class).single())
          .isOne();
    }
  }

  private String url(String path) {
    return "http://localhost:" + port + path;
  }
}
