package io.parley.auth;

import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;
import org.springframework.stereotype.Component;

/**
 * Who may scrape {@code /actuator/prometheus}. With {@code PARLEY_METRICS_TOKEN} set, only a
 * request carrying it ({@code Authorization: Bearer <token>}), on whichever port the endpoint is.
 * Without it the endpoint is open, except under the {@code prod} profile on the main port: there
 * the metrics (call volumes, provider failures) would be public. In production, either set the
 * token and give it to the scraper, or move the actuator to {@code PARLEY_MANAGEMENT_PORT}, which
 * the load balancer does not expose (then only health, info and metrics live there).
 */
@Component
final class MetricsAccess implements AuthorizationManager<RequestAuthorizationContext> {

  private static final Logger log = LoggerFactory.getLogger(MetricsAccess.class);
  private static final String BEARER = "Bearer ";

  private final byte[] token;
  private final boolean openWithoutToken;

  @Autowired
  MetricsAccess(Environment environment) {
    this(
        environment.getProperty("parley.metrics-token"),
        environment.acceptsProfiles(Profiles.of("prod")),
        separatePort(environment));
  }

  MetricsAccess(String token, boolean prod, boolean separatePort) {
    this.token =
        token == null || token.isBlank() ? null : token.strip().getBytes(StandardCharsets.UTF_8);
    this.openWithoutToken = !prod || separatePort;
    if (this.token == null && !openWithoutToken) {
      log.warn(
          "/actuator/prometheus is refused: under the prod profile the metrics need"
              + " PARLEY_METRICS_TOKEN, or PARLEY_MANAGEMENT_PORT to serve them on a port of"
              + " their own");
    }
  }

  @Override
  public AuthorizationResult authorize(
      Supplier<? extends Authentication> authentication, RequestAuthorizationContext context) {
    if (token == null) {
      return new AuthorizationDecision(openWithoutToken);
    }
    return new AuthorizationDecision(carriesToken(context.getRequest()));
  }

  private boolean carriesToken(HttpServletRequest request) {
    String header = request.getHeader("Authorization");
    if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      return false;
    }
    byte[] presented = header.substring(BEARER.length()).strip().getBytes(StandardCharsets.UTF_8);
    // Constant time: the comparison does not tell how much of a guess was right.
    return MessageDigest.isEqual(presented, token);
  }

  /** Whether the actuator has a port of its own ({@code PARLEY_MANAGEMENT_PORT}). */
  private static boolean separatePort(Environment environment) {
    Integer management = environment.getProperty("management.server.port", Integer.class);
    Integer server = environment.getProperty("server.port", Integer.class, 8080);
    return management != null && !Objects.equals(management, server);
  }
}
