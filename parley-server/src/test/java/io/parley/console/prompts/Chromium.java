package io.parley.console.prompts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.deque.html.axecore.playwright.AxeBuilder;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import io.parley.support.Accounts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The browser set-up of the console's Playwright tests (as in ConsoleBrowserTest): the system
 * Chromium, axe-core's serious and critical violations, screenshots, sign-in.
 */
final class Chromium {

  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path SCREENSHOTS =
      Path.of(System.getProperty("parley.console.screenshots", "target/console-screenshots"));

  private Chromium() {}

  /** Skips the class without Chromium; the caller closes the Playwright it gets. */
  static Playwright playwright() {
    assumeTrue(
        Files.isExecutable(CHROMIUM),
        "The console's browser tests need Chromium at /usr/bin/chromium"
            + " (apt-get install -y chromium); .ci/run installs it");
    return Playwright.create();
  }

  static Browser launch(Playwright playwright) {
    return playwright
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

  /** axe-core finds no serious or critical violation; the page's screenshot is written. */
  static void check(Page page, String name) {
    List<String> serious =
        new AxeBuilder(page)
            .analyze().getViolations().stream()
                .filter(v -> "serious".equals(v.getImpact()) || "critical".equals(v.getImpact()))
                .map(
                    v ->
                        v.getId() + " (" + v.getImpact() + "): " + v.getHelp() + " " + v.getNodes())
                .toList();
    assertThat(serious).as("axe-core on %s", name).isEmpty();
    page.screenshot(
        new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve(name + ".png")).setFullPage(true));
  }

  static void signIn(Page page, String baseUrl, Accounts.Session account) {
    page.navigate(baseUrl + "/login");
    page.fill("#email", account.email());
    page.fill("#password", account.password());
    page.click("main button[type=submit]");
    page.waitForLoadState();
  }

  /** Does something that loads a page and prints how long it took (not asserted). */
  static void timed(Page page, String what, Runnable action) {
    long start = System.nanoTime();
    action.run();
    page.waitForLoadState();
    System.out.printf(
        "Console page %s rendered and loaded in %d ms%n",
        what, (System.nanoTime() - start) / 1_000_000);
  }
}
