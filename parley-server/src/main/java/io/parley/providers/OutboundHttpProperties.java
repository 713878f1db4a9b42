package io.parley.providers;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How Parley keeps its HTTP connections to providers ({@code PARLEY_HTTP_*}).
 *
 * @param poolIdleLimit a pooled connection idle this long is closed by Parley before it is used
 *     again. Servers close idle connections too (Node after 5 s, many load balancers after 60 s,
 *     nginx after 75 s); a request written on a connection the server has just closed is lost, so
 *     Parley's limit stays below the shortest common one. Default 4 s.
 */
@ConfigurationProperties("parley.http")
public record OutboundHttpProperties(Duration poolIdleLimit) {

  public static final Duration DEFAULT_POOL_IDLE_LIMIT = Duration.ofSeconds(4);

  public OutboundHttpProperties {
    if (poolIdleLimit == null || poolIdleLimit.isNegative() || poolIdleLimit.isZero()) {
      poolIdleLimit = DEFAULT_POOL_IDLE_LIMIT;
    }
  }

  public static OutboundHttpProperties defaults() {
    return new OutboundHttpProperties(null);
  }
}
