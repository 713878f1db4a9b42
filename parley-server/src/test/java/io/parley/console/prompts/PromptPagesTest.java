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
import io.parley.support.Accounts;
import io.parley.support.DatabaseCleaner;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
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
import org.springframework.test.web.servlet.MockMvc;

/**
 * The Prompts pages in the system Chromium, with the same Spring context as ConsoleBrowserTest (so
 * no new one is started): an operator creates a prompt with a declared variable (a bad variable
 * name refused first, under its field), edits it into version 2, reads the history, compares the
 * two versions side by side and renders a preview with lead values (a missing required value
 * refused under its field); a VIEWER sees no Prompts entry and a hand-made post is refused.
 */
@Tag("db")
@Tag("console")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureMockMvc
@ActiveProfiles("test")
class PromptPagesTest {

  private static Playwright playwright;
  private static Browser browser;

  @LocalServerPort int port;
  @Autowired DataSource dataSource;
  @Autowired JdbcClient jdbc;
  @Autowired MockMvc mvc;

  private BrowserContext context;
  private Page page;
  private Accounts accounts;

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

  @BeforeEach
  void freshDatabaseAndBrowser() {
    DatabaseCleaner.clean(dataSource);
    accounts = new Accounts(mvc);
    context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 800));
    page = context.newPage();
  }

  @AfterEach
  void closeContext() {
    context.close();
  }

  @Test
  void anOperatorCreatesEditsComparesAndPreviewsAPrompt() {
    accounts.admin();
    Accounts.Session operator = accounts.user(Role.OPERATOR);
    signIn(operator);
    assertThat(navLabels()).containsExactly("Overview", "Calls", "Prompts", "Account");
    timed("/console/prompts", () -> page.click("nav >> text=Prompts"));
    assertThat(page.textContent("main")).contains("No prompts yet");
    check("prompts-empty");

    timed("/console/prompts/new", () -> page.click("text=New prompt"));
    page.fill("#name", "Dental reminder");
    page.fill("#content", "Hello {{First Name}}, this is {{agent_name}}.");
    field("variables[0].name").fill("First Name");
    field("variables[0].required").check();
    page.click("main button[type=submit]");
    assertThat(page.textContent(id("variables[0].name-error"))).contains("lower-case letters");
    assertThat(field("variables[0].name").getAttribute("aria-invalid")).isEqualTo("true");
    assertThat(page.inputValue("#name")).isEqualTo("Dental reminder");
    check("prompt-editor-error");

    page.fill(
        "#content", "Hello {{first_name}}, this is {{agent_name}}.\nThe visit is on {{day}}.");
    field("variables[0].name").fill("first_name");
    field("variables[1].name").fill("day");
    field("variables[1].defaultValue").fill("Monday");
    page.fill("#note", "first draft");
    timed("create", () -> page.click("main button[type=submit]"));
    assertThat(page.textContent("main .notice")).contains("Saved version 1");
    assertThat(page.textContent("#content")).contains("Hello {{first_name}}");

    page.click("main >> text=Edit");
    assertThat(page.textContent("main")).contains("Saving makes version 2");
    assertThat(field("variables[0].name").inputValue()).isEqualTo("first_name");
    assertThat(field("variables[0].required").isChecked()).isTrue();
    page.fill(
        "#content",
        "Hello {{first_name}}, this is {{agent_name}} from Bright Smile.\nThe visit is on {{day}}.");
    page.fill("#note", "names the practice");
    check("prompt-editor");
    timed("update", () -> page.click("main button[type=submit]"));
    assertThat(page.textContent("main .notice")).contains("Saved version 2");
    String promptUrl = page.url().replaceAll("\\?.*$", "");
    String promptId = promptUrl.substring(promptUrl.lastIndexOf('/') + 1);
    assertThat(page.locator("#versions tbody tr").allTextContents())
        .hasSize(2)
        .satisfies(rows -> assertThat(rows.get(0)).contains("2", "names the practice"))
        .satisfies(rows -> assertThat(rows.get(1)).contains("1", "first draft"));

    // Preview: the required variable missing, then given.
    page.click("text=Render preview");
    assertThat(page.textContent(id("variables.first_name-error"))).contains("required");
    assertThat(field("variables.first_name").getAttribute("aria-invalid")).isEqualTo("true");
    field("variables.first_name").fill("Ana");
    page.click("text=Render preview");
    // The content uses {{agent_name}}: without one the built-ins open with the error.
    assertThat(page.textContent("#agentName-error")).contains("{{agent_name}}");
    page.fill("#agentName", "Mia");
    page.click("text=Render preview");
    assertThat(page.textContent("#rendered"))
        .isEqualTo("Hello Ana, this is Mia from Bright Smile.\nThe visit is on Monday.");
    check("prompt");

    timed("diff", () -> page.click("text=Show differences"));
    assertThat(page.textContent("h1")).isEqualTo("Version 1 → version 2");
    assertThat(page.textContent("main .diff-summary")).contains("1 added", "1 removed");
    assertThat(page.textContent("table.diff td.removed")).contains("this is {{agent_name}}.");
    assertThat(page.textContent("table.diff td.added")).contains("from Bright Smile.");
    check("prompt-diff");

    page.click("nav >> text=Prompts");
    assertThat(page.textContent("main table")).contains("Dental reminder", "2");
    check("prompts");

    // A version that does not exist is named under its field.
    page.navigate(promptUrl + "/diff?from=1&to=9");
    assertThat(page.textContent(id("to-error"))).contains("from 1 to 2");

    // At 390 px no page scrolls sideways.
    page.setViewportSize(390, 844);
    for (String path :
        List.of(
            "",
            "/new",
            "/" + promptId,
            "/" + promptId + "/edit",
            "/" + promptId + "/diff?from=1&to=2")) {
      page.navigate(url("/console/prompts" + path));
      assertThat(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))
          .as("no sideways scrolling at 390 px on %s", path)
          .isEqualTo(true);
    }
  }

  @Test
  void aViewerSeesNoPromptsAndIsRefusedWhenPostingAnyway() {
    accounts.admin();
    Accounts.Session viewer = accounts.user(Role.VIEWER);
    signIn(viewer);
    assertThat(navLabels()).containsExactly("Overview", "Calls", "Account");
    page.navigate(url("/console/prompts"));
    assertThat(page.textContent("h1")).isEqualTo("Not allowed");
    page.navigate(url("/console"));
    APIResponse post =
        context
            .request()
            .post(
                url("/console/prompts"),
                RequestOptions.create()
                    .setHeader(
                        page.getAttribute("meta[name=csrf-header]", "content"),
                        page.getAttribute("meta[name=csrf-token]", "content"))
                    .setForm(
                        FormData.create()
                            .set("name", "Sneaky")
                            .set("content", "Hello")
                            .set("variables[0].name", "")));
    assertThat(post.status()).isEqualTo(403);
    assertThat(jdbc.sql("SELECT COUNT(*) FROM prompt").query(Long.class).single()).isZero();
  }

  private void timed(String what, Runnable action) {
    Chromium.timed(page, what, action);
  }

  private void signIn(Accounts.Session account) {
    Chromium.signIn(page, url(""), account);
  }

  private com.microsoft.playwright.Locator field(String fieldId) {
    return page.locator(id(fieldId));
  }

  private static String id(String fieldId) {
    return "[id='" + fieldId + "']";
  }

  private List<String> navLabels() {
    return page.locator("nav[aria-label=Console] a").allTextContents().stream()
        .map(String::trim)
        .toList();
  }

  private void check(String name) {
    Chromium.check(page, name);
  }

  private String url(String path) {
    return "http://localhost:" + port + path;
  }
}
