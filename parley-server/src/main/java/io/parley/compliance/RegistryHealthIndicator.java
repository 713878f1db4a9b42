package io.parley.compliance;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.parley.shared.Organisations;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.stereotype.Component;

/**
 * {@code /actuator/health} component {@code dncRegistry}: each registry list with its age. UP while
 * every list is fresh, with a {@code warning} detail once one goes stale within
 * PARLEY_DNC_REGISTRY_WARN_BEFORE; {@link #DEGRADED} (HTTP 200) once one is stale, or when no
 * national copy exists though PARLEY_DNC_REGISTRY_REGIONS asks for one and lists were imported.
 * Never in the readiness or liveness group: a stale copy stops telemarketing dials on every node
 * alike, while inbound calls and informational campaigns go on, so no node should leave the load
 * balancer or be restarted for it. With no list at all (a fresh install) it stays UP and says so.
 *
 * <p>Also the gauge {@code parley.dnc.registry.oldest.age} (days): the oldest area code in force
 * (NaN when there is none); alert on it above PARLEY_DNC_REGISTRY_MAX_AGE minus a margin.
 */
@Component("dncRegistry")
class RegistryHealthIndicator implements HealthIndicator {

  /** The same status the media loops use: working, but refusing some new calls. */
  static final Status DEGRADED =
      new Status("DEGRADED", "a registry list is stale: telemarketing dials it covers are refused");

  private final RegistryService registries;

  RegistryHealthIndicator(RegistryService registries, MeterRegistry meters) {
    this.registries = registries;
    Gauge.builder(
            "parley.dnc.registry.oldest.age",
            registries,
            service -> {
              try {
                return service.oldestAgeDays().map(Long::doubleValue).orElse(Double.NaN);
              } catch (RuntimeException e) {
                return Double.NaN;
              }
            })
        .description("Age in days of the oldest registry copy in force")
        .baseUnit("days")
        .register(meters);
  }

  @Override
  public Health health() {
    List<RegistryView> lists = registries.list(Organisations.DEFAULT_ID);
    RegistryProperties settings = registries.properties();
    Health.Builder health = Health.up();
    health.withDetail("maxAgeDays", settings.maxAgeDays());
    health.withDetail("warnBeforeDays", settings.warnBefore().toDays());
    if (lists.stream().allMatch(list -> list.areaCodes() == 0)) {
      health.withDetail(
          "lists",
          settings.regions().isEmpty()
              ? "none imported"
              : "none imported: telemarketing dials to "
                  + String.join(", ", settings.regions())
                  + " numbers are refused until a national copy is");
      return health.build();
    }
    StringBuilder warning = new StringBuilder();
    boolean stale = false;
    boolean national = false;
    for (RegistryView list : lists) {
      Map<String, Object> figures = new LinkedHashMap<>();
      figures.put("kind", list.kind().wire());
      figures.put("coverage", list.coverage());
      figures.put("numbers", list.numbers());
      if (list.asOf() != null) {
        figures.put("asOf", list.asOf().toString());
        figures.put("ageDays", list.ageDays());
        figures.put("freshUntil", list.freshUntil().toString());
      }
      figures.put("freshness", list.freshness());
      health.withDetail(list.name(), figures);
      national |= list.kind() == RegistryKind.NATIONAL && list.areaCodes() > 0;
      if (list.stale()) {
        stale = true;
        append(
            warning,
            list.name()
                + " is stale (oldest copy from "
                + list.asOf()
                + "): telemarketing dials it covers are refused");
      } else if ("warning".equals(list.freshness())) {
        append(
            warning,
            list.name()
                + " goes stale after "
                + list.freshUntil()
                + ": import a fresh copy before then");
      }
    }
    if (!national && !settings.regions().isEmpty()) {
      stale = true;
      append(
          warning,
          "no national copy: telemarketing dials to "
              + String.join(", ", settings.regions())
              + " numbers are refused");
    }
    if (!warning.isEmpty()) {
      health.withDetail("warning", warning.toString());
    }
    if (stale) {
      health.status(DEGRADED);
    }
    return health.build();
  }

  private static void append(StringBuilder text, String sentence) {
    if (!text.isEmpty()) {
      text.append("; ");
    }
    text.append(sentence);
  }
}
