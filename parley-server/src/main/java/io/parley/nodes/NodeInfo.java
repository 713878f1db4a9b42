package io.parley.nodes;

import java.util.Map;
import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.stereotype.Component;

/**
 * {@code node} on {@code /actuator/info}: which node answered, and since when. The info endpoint is
 * open, so the host and process id stay in the log and the {@code node} table.
 */
@Component
class NodeInfo implements InfoContributor {

  private final NodeIdentity self;

  NodeInfo(NodeIdentity self) {
    this.self = self;
  }

  @Override
  public void contribute(Info.Builder builder) {
    builder.withDetail("node", Map.of("id", self.id(), "startedAt", self.startedAt().toString()));
  }
}
