package io.parley.providers;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * {@code /actuator/health} component {@code providers}: which providers have keys on this server. A
 * provider without a key does not make Parley unhealthy (an agent that needs it answers its calls
 * with an apology), so the status stays UP and each provider shows {@code configured} or {@code not
 * configured}. Keys are never shown.
 */
@Component("providers")
class ProvidersHealthIndicator implements HealthIndicator {

  private final ProviderRegistry registry;

  ProvidersHealthIndicator(ProviderRegistry registry) {
    this.registry = registry;
  }

  @Override
  public Health health() {
    Health.Builder health = Health.up();
    for (ProviderInfo provider : registry.list()) {
      health.withDetail(
          provider.kind().name().toLowerCase(java.util.Locale.ROOT) + ":" + provider.id(),
          provider.configured() ? "configured" : "not configured");
    }
    return health.build();
  }
}
