package io.parley.web;

import io.parley.database.ActiveDatabase;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** Tells the operator where Parley is listening, where its API docs are and which database. */
@Component
class StartupBanner {

  private static final Logger log = LoggerFactory.getLogger(StartupBanner.class);

  private final ActiveDatabase database;

  StartupBanner(ActiveDatabase database) {
    this.database = database;
  }

  @EventListener
  void onStarted(WebServerInitializedEvent event) {
    String base = "http://localhost:" + event.getWebServer().getPort();
    log.info(
        "Parley is up at {} | Swagger UI {}/swagger-ui.html | database {} ({})",
        base,
        base,
        database.vendor().name().toLowerCase(Locale.ROOT),
        database.embedded() ? "embedded" : "external");
  }
}
