package io.parley.auth;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * At start, once the port is known: the administrator from the environment, or else (while there is
 * no administrator) a fresh setup code in the log. Each start prints a new code; the earlier ones
 * stay valid until the first administrator is set up, since they too were only ever in the log.
 */
@Component
class FirstAdminAtStart {

  private static final Logger log = LoggerFactory.getLogger(FirstAdminAtStart.class);

  private final FirstAdmin firstAdmin;
  private final BootstrapAdmin bootstrap;
  private final String publicUrl;

  FirstAdminAtStart(
      FirstAdmin firstAdmin,
      BootstrapAdmin bootstrap,
      @Value("${parley.public-url:}") String publicUrl) {
    this.firstAdmin = firstAdmin;
    this.bootstrap = bootstrap;
    this.publicUrl = publicUrl;
  }

  @EventListener
  void onStarted(WebServerInitializedEvent event) {
    // The management port (PARLEY_MANAGEMENT_PORT) starts a server of its own: act once.
    if (event.getApplicationContext().getParent() != null) {
      return;
    }
    if (bootstrap.given()) {
      firstAdmin.bootstrap(bootstrap);
    }
    String base =
        publicUrl.isBlank()
            ? "http://localhost:" + event.getWebServer().getPort()
            : publicUrl.replaceAll("/+$", "");
    firstAdmin
        .issueCodeIfNeeded()
        .ifPresent(
            code ->
                log.warn(
                    "No administrator yet. Open {}/setup and enter setup code {} (or POST it to"
                        + " /api/auth/setup); it works once.",
                    base,
                    code));
  }
}
