package io.parley.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.RETURNS_DEEP_STUBS;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.parley.support.Accounts;
import io.parley.support.DatabaseCleaner;
import io.parley.support.DbTest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.jdbc.core.simple.JdbcClient;

/** What a start does about the first administrator: the log's setup code, or the environment's. */
@DbTest
@ExtendWith(OutputCaptureExtension.class)
class FirstAdminAtStartTest {

  private static final Pattern CODE_LINE =
      Pattern.compile(
          "Open https://parley\\.example\\.com/setup and enter setup code"
              + " ([A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4})");

  @Autowired DataSource dataSource;
  @Autowired JdbcClient jdbc;
  @Autowired FirstAdmin firstAdmin;

  @BeforeEach
  void clean() {
    DatabaseCleaner.clean(dataSource);
  }

  @Test
  void withoutAnAdminTheLogPrintsACodeThatWorksOnce(CapturedOutput output) {
    int started = output.getOut().length();
    start(new BootstrapAdmin(null, null));
    Matcher line = CODE_LINE.matcher(output.getOut().substring(started));
    assertThat(line.find()).as("the setup line in %s", output.getOut()).isTrue();
    String code = line.group(1);
    assertThat(jdbc.sql("SELECT code_hash FROM setup_code").query(String.class).list())
        .hasSize(1)
        .allSatisfy(hash -> assertThat(hash).hasSize(64).doesNotContain(code));

    String email = Accounts.uniqueEmail("owner");
    firstAdmin.setUp(new FirstAdmin.Setup(code, email, Accounts.PASSWORD, "Owner"), "192.0.2.7");
    assertThat(roleOf(email)).isEqualTo("ADMIN");

    // The next start finds an administrator: no code, and the old one is void.
    int before = output.getOut().length();
    start(new BootstrapAdmin(null, null));
    assertThat(output.getOut().substring(before)).doesNotContain("setup code");
    assertThat(jdbc.sql("SELECT COUNT(*) FROM setup_code").query(Long.class).single()).isZero();
  }

  @Test
  void theEnvironmentsAdminIsCreatedOnceAndItsPasswordNeverLogged(CapturedOutput output) {
    String email = Accounts.uniqueEmail("ops");
    // The context's own start (when this test runs first) is part of the capture: look after it.
    int before = output.getOut().length();
    start(new BootstrapAdmin(email, Accounts.PASSWORD));
    start(new BootstrapAdmin(email, Accounts.PASSWORD));
    assertThat(roleOf(email)).isEqualTo("ADMIN");
    assertThat(jdbc.sql("SELECT COUNT(*) FROM app_user").query(Long.class).single()).isEqualTo(1);
    assertThat(output.getOut().substring(before))
        .doesNotContain("setup code")
        .doesNotContain(Accounts.PASSWORD);
  }

  @Test
  void aBadBootstrapPairStopsTheStartNamingTheVariable(CapturedOutput output) {
    assertThatThrownBy(() -> start(new BootstrapAdmin("ops@parley.test", "hunter2")))
        .hasMessageContaining("PARLEY_BOOTSTRAP_ADMIN_PASSWORD must be at least 12")
        .hasMessageNotContaining("hunter2");
    assertThatThrownBy(() -> start(new BootstrapAdmin(null, Accounts.PASSWORD)))
        .hasMessageContaining("PARLEY_BOOTSTRAP_ADMIN_EMAIL is missing");
    assertThatThrownBy(() -> start(new BootstrapAdmin("not an address", Accounts.PASSWORD)))
        .hasMessageContaining("PARLEY_BOOTSTRAP_ADMIN_EMAIL is not an e-mail address");
    assertThat(jdbc.sql("SELECT COUNT(*) FROM app_user").query(Long.class).single()).isZero();
    assertThat(output.getOut()).doesNotContain("hunter2");
  }

  private void start(BootstrapAdmin bootstrap) {
    WebServerInitializedEvent event = mock(WebServerInitializedEvent.class, RETURNS_DEEP_STUBS);
    when(event.getApplicationContext().getParent()).thenReturn(null);
    when(event.getWebServer().getPort()).thenReturn(8080);
    new FirstAdminAtStart(firstAdmin, bootstrap, "https://parley.example.com/").onStarted(event);
  }

  private String roleOf(String email) {
    return jdbc.sql("SELECT role FROM app_user WHERE email = ?")
        .param(email)
        .query(String.class)
        .single();
  }
}
