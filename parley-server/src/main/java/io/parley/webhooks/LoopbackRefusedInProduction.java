package io.parley.webhooks;

import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;
import org.springframework.stereotype.Component;

/**
 * Stops start-up when the {@code prod} profile runs with {@code PARLEY_WEBHOOKS_ALLOW_LOOPBACK}:
 * that setting lets webhooks reach the node itself and plain-HTTP URLs, which only tests and local
 * rehearsals need.
 */
@Component
class LoopbackRefusedInProduction {

  LoopbackRefusedInProduction(WebhookSettings settings, Environment environment) {
    if (settings.allowLoopback() && environment.acceptsProfiles(Profiles.of("prod"))) {
      throw new IllegalStateException(
          "The prod profile refuses PARLEY_WEBHOOKS_ALLOW_LOOPBACK=true: it is for tests and local"
              + " rehearsals only");
    }
  }
}
