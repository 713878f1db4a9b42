package io.parley.console;

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
import com.microsoft.playwright.Response;
import com.microsoft.playwright.options.FormData;
import com.microsoft.playwright.options.RequestOptions;
import io.parley.auth.Role;
import io.parley.support.Accounts;
import io.parley.support.DatabaseCleaner;
import io.parley.support.SetupCodes;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * The console in a real browser (the system Chromium, driven by Playwright) against the server on a
 * real port: first-run setup, sign-in, sign-out, password change, what a VIEWER sees and is
 * refused, CSRF, the session kept away from the API, both screen widths, the keyboard. axe-core
 * checks every page for serious or critical violations, and every page's screenshot is written (see
 * {@link #SCREENSHOTS}).
 */
@Tag("db")
@Tag("console")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureMockMvc
@ActiveProfiles("test")
class ConsoleBrowserTest {

  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

  /**
   * Where page screenshots go: target/console-screenshots, or the folder named by the system
   * property {@code parley.console.screenshots} ({@code
   * -Dparley.console.screenshots=../docs/console} refreshes the ones the README links).
   */
  private static final Path SCREENSHOTS =
      Path.of(System.getProperty("parley.console.screenshots", "target/console-screenshots"));

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
                            "--no-first-run")));
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
  void firstRunSetupWithTheCodeThenSignInAndOut() {
    String code = SetupCodes.plant(dataSource);
    page.navigate(url("/console"));
    // No administrator yet: the sign-in page sends the visitor to setup.
    assertThat(page.url()).endsWith("/setup");
    check("setup");

    page.fill("#setupCode", "AAAA-BBBB-CCCC");
    page.fill("#email", "owner@parley.test");
    page.fill("#password", Accounts.PASSWORD);
    page.click("button[type=submit]");
    assertThat(page.textContent("#setupCode-error")).contains("not the setup code");
    assertThat(page.getAttribute("#setupCode", "aria-invalid")).isEqualTo("true");
    assertThat(page.inputValue("#email")).isEqualTo("owner@parley.test");
    check("setup-error");

    page.fill("#setupCode", code);
    page.fill("#password", "short");
    page.click("button[type=submit]");
    assertThat(page.textContent("#password-error")).contains("at least 12 characters");
    assertThat(page.inputValue("#setupCode")).isEqualTo(code);

    page.fill("#password", Accounts.PASSWORD);
    page.click("button[type=submit]");
    assertThat(page.url()).contains("/login?setUp");
    check("login");

    signIn("owner@parley.test", Accounts.PASSWORD);
    // Back to the page first asked for (Spring Security marks the replayed request "continue").
    assertThat(page.url()).matches(".*/console(\\?continue)?");
    assertThat(navLabels()).containsExactly("Overview", "Calls", "Prompts", "Users", "Account");
    check("overview");

    // The session is in the database (it outlives this node), idle for at most 15 minutes.
    assertThat(
            jdbc.sql(
                    "SELECT MAX_INACTIVE_INTERVAL FROM SPRING_SESSION WHERE PRINCIPAL_NAME IS NOT NULL")
                .query(Integer.class)
                .list())
        .containsExactly(900);

    // Set-up is over: /setup leads on (through the sign-in page, to the signed-in console).
    page.navigate(url("/setup"));
    assertThat(page.url()).endsWith("/console");

    page.click("text=Sign out");
    assertThat(page.url()).endsWith("/login?signedOut");
    page.navigate(url("/console"));
    assertThat(page.url()).endsWith("/login");
  }

  @Test
  void aWrongPasswordIsRefusedWithAMessage() {
    Accounts.Session admin = accounts.firstAdmin();
    page.navigate(url("/login"));
    signIn(admin.email(), "not the password at all");
    assertThat(page.url()).contains("/login?error");
    assertThat(page.textContent("#login-error")).contains("e-mail or password is not correct");
    check("login-error");
  }

  @Test
  void changingThePasswordKeepsThisSessionAndEndsTheOthers() {
    Accounts.Session admin = accounts.firstAdmin();
    page.navigate(url("/login"));
    signIn(admin.email(), admin.password());
    page.click("nav >> text=Account");
    assertThat(page.url()).endsWith("/account/password");
    check("password");

    page.fill("#currentPassword", admin.password());
    page.fill("#newPassword", "a brand new passphrase 43");
    page.fill("#confirmPassword", "a different passphrase 44");
    page.click("main button[type=submit]");
    assertThat(page.textContent("#confirmPassword-error")).contains("does not match");

    page.fill("#currentPassword", "not my password at all");
    page.fill("#newPassword", "a brand new passphrase 43");
    page.fill("#confirmPassword", "a brand new passphrase 43");
    page.click("main button[type=submit]");
    assertThat(page.textContent("#currentPassword-error")).contains("is not correct");
    check("password-error");

    page.fill("#currentPassword", admin.password());
    page.fill("#newPassword", "a brand new passphrase 43");
    page.fill("#confirmPassword", "a brand new passphrase 43");
    page.click("main button[type=submit]");
    assertThat(page.textContent("main .notice")).contains("has been changed");

    // This browser stays signed in; the API token from before the change is dead.
    page.navigate(url("/console"));
    assertThat(page.url()).endsWith("/console");
    assertThat(
            context
                .request()
                .get(
                    url("/api/auth/me"),
                    RequestOptions.create().setHeader("Authorization", admin.authorization()))
                .status())
        .isEqualTo(401);

    page.click("text=Sign out");
    signIn(admin.email(), admin.password());
    assertThat(page.url()).contains("/login?error");
    signIn(admin.email(), "a brand new passphrase 43");
    assertThat(page.url()).endsWith("/console");
  }

  @Test
  void aViewerSeesNoAdminPagesAndIsRefusedWhenPostingAnyway() {
    accounts.admin();
    Accounts.Session viewer = accounts.user(Role.VIEWER);
    page.navigate(url("/login"));
    signIn(viewer.email(), viewer.password());
    assertThat(navLabels()).containsExactly("Overview", "Calls", "Account");
    assertThat(page.locator("a[href='/console/users']").count()).isZero();
    check("overview-viewer");

    page.navigate(url("/console/users"));
    assertThat(page.textContent("h1")).isEqualTo("Not allowed");

    // A hand-made post with a valid CSRF token: the role, not the token, is what refuses it.
    page.navigate(url("/console"));
    APIResponse post =
        context
            .request()
            .post(
                url("/console/users"),
                RequestOptions.create()
                    .setHeader(
                        page.getAttribute("meta[name=csrf-header]", "content"),
                        page.getAttribute("meta[name=csrf-token]", "content"))
                    .setForm(
                        FormData.create()
                            .set("email", "sneaky@parley.test")
                            .set("password", Accounts.PASSWORD)
                            .set("role", "ADMIN")));
    assertThat(post.status()).isEqualTo(403);
    assertThat(accountExists("sneaky@parley.test")).isFalse();
  }

  @Test
  void anAdminCreatesAnAccountThroughTheHtmxForm() {
    Accounts.Session admin = accounts.firstAdmin();
    page.navigate(url("/login"));
    signIn(admin.email(), admin.password());
    page.click("nav >> text=Users");
    check("users");

    page.fill("#email", "not an address");
    page.fill("#password", Accounts.PASSWORD);
    page.click("main button[type=submit]");
    page.waitForSelector("#email-error");
    assertThat(page.textContent("#email-error")).contains("must be an e-mail address");
    check("users-error");

    page.fill("#email", "new.operator@parley.test");
    page.fill("#displayName", "New Operator");
    page.selectOption("#role", "OPERATOR");
    page.fill("#password", Accounts.PASSWORD);
    Response created =
        page.waitForResponse(
            response -> response.url().endsWith("/console/users"),
            () -> page.click("main button[type=submit]"));
    // htmx sent it, with the CSRF token in the header that console.js adds.
    assertThat(created.request().headers()).containsKey("hx-request").containsKey("x-csrf-token");
    page.waitForSelector("main .notice");
    assertThat(page.textContent("main table")).contains("new.operator@parley.test", "OPERATOR");
    assertThat(accountExists("new.operator@parley.test")).isTrue();
  }

  @Test
  void aPostWithoutItsCsrfTokenIsRefused() {
    Accounts.Session admin = accounts.firstAdmin();
    page.navigate(url("/login"));
    signIn(admin.email(), admin.password());
    APIResponse post =
        context
            .request()
            .post(
                url("/console/users"),
                RequestOptions.create()
                    .setForm(
                        FormData.create()
                            .set("email", "forged@parley.test")
                            .set("password", Accounts.PASSWORD)
                            .set("role", "VIEWER")));
    assertThat(post.status()).isEqualTo(403);
    // Not a browser asking for a page: the refusal is a problem detail, like any other error.
    assertThat(post.headers().get("content-type")).startsWith("application/problem+json");
    assertThat(post.text()).contains("This form has expired");
    assertThat(accountExists("forged@parley.test")).isFalse();
    // Signed in still: the refusal did not end the session.
    page.navigate(url("/console"));
    assertThat(page.url()).endsWith("/console");
  }

  @Test
  void theSessionCookieIsNeverAcceptedOnTheApi() {
    Accounts.Session admin = accounts.firstAdmin();
    page.navigate(url("/login"));
    signIn(admin.email(), admin.password());
    assertThat(context.cookies())
        .anySatisfy(
            cookie -> {
              assertThat(cookie.name).isEqualTo("SESSION");
              assertThat(cookie.httpOnly).isTrue();
              assertThat(cookie.sameSite.name()).isEqualTo("LAX");
            });
    APIResponse me = context.request().get(url("/api/auth/me"));
    assertThat(me.status()).isEqualTo(401);
    APIResponse users = context.request().get(url("/api/users"));
    assertThat(users.status()).isEqualTo(401);
  }

  @Test
  void onAPhoneAndWithTheKeyboardAlone() {
    Accounts.Session admin = accounts.firstAdmin();
    BrowserContext phone =
        browser.newContext(new Browser.NewContextOptions().setViewportSize(390, 844));
    try {
      page = phone.newPage();
      page.navigate(url("/login"));
      // The e-mail field has the focus; before it come the brand and the skip link.
      assertThat(page.evaluate("document.activeElement.id")).isEqualTo("email");
      page.keyboard().press("Shift+Tab");
      page.keyboard().press("Shift+Tab");
      assertThat(page.evaluate("document.activeElement.textContent")).isEqualTo("Skip to content");
      page.keyboard().press("Tab");
      page.keyboard().press("Tab");
      page.keyboard().type(admin.email());
      page.keyboard().press("Tab");
      page.keyboard().type(admin.password());
      page.keyboard().press("Enter");
      page.waitForURL("**/console");
      assertThat(navLabels()).containsExactly("Overview", "Calls", "Prompts", "Users", "Account");
      for (String path : List.of("/console", "/console/users", "/account/password")) {
        page.navigate(url(path));
        assertThat(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))
            .as("no sideways scrolling at 390 px on %s", path)
            .isEqualTo(true);
      }
      page.navigate(url("/console"));
      check("overview-390px");
    } finally {
      phone.close();
    }
  }

  private void signIn(String email, String password) {
    if (!page.url().contains("/login")) {
      page.navigate(url("/login"));
    }
    page.fill("#email", email);
    page.fill("#password", password);
    page.click("main button[type=submit]");
    page.waitForLoadState();
  }

  private List<String> navLabels() {
    return page.locator("nav[aria-label=Console] a").allTextContents().stream()
        .map(String::trim)
        .toList();
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

  private boolean accountExists(String email) {
    return jdbc.sql("SELECT COUNT(*) FROM app_user WHERE email = ?")
            .param(email)
            .query(Long.class)
            .single()
        > 0;
  }

  private String url(String path) {
    return "http://localhost:" + port + path;
  }
}
