package io.parley.media;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.stereotype.Component;

/**
 * {@code /actuator/health} component {@code mediaLoops}, a member of the readiness group: {@code
 * UP}, or {@link #DEGRADED} while the node refuses new calls because a media loop lags. DEGRADED
 * answers HTTP 200 (application.yml maps it), so a load balancer keeps sending the calls already up
 * their webhooks and Kubernetes restarts nothing; it is never in the liveness group. The details
 * (administrators only) give each loop's recent lag and busy share, and whether the loops run ahead
 * of the process in the scheduler ({@link LoopPriority}).
 */
@Component
class MediaLoopsHealthIndicator implements HealthIndicator {

  /** Working, but refusing new calls. */
  static final Status DEGRADED =
      new Status("DEGRADED", "a media loop lags: this node refuses new calls until it recovers");

  private final MediaLoad load;
  private final MediaLoops loops;

  MediaLoopsHealthIndicator(MediaLoad load, MediaLoops loops) {
    this.load = load;
    this.loops = loops;
  }

  @Override
  public Health health() {
    Health.Builder health = load.overloaded() ? Health.status(DEGRADED) : Health.up();
    for (MediaLoad.LoopLoad loop : load.loops()) {
      Map<String, Object> figures = new LinkedHashMap<>();
      figures.put("lagMillis", round(loop.lag().toNanos() / 1e6));
      if (!Double.isNaN(loop.busy())) {
        figures.put("busy", round(loop.busy()));
      }
      health.withDetail("loop-" + loop.loop(), figures);
    }
    health.withDetail(
        "priority",
        switch (loops.priority()) {
          case LoopPriority.Outcome.NotAsked n -> "off (PARLEY_MEDIA_LOOP_PRIORITY=0)";
          case LoopPriority.Outcome.Raised r ->
              "niceness " + r.nice() + ", the rest of the process " + r.processNice();
          case LoopPriority.Outcome.Refused r -> "not raised: " + r.reason();
        });
    return health.build();
  }

  private static double round(double value) {
    return Math.round(value * 1000) / 1000.0;
  }
}
