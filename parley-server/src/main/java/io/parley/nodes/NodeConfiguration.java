package io.parley.nodes;

import io.parley.database.DataDirectory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.UUID;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Who this process is: its node id, this run's id, host, pid and version. */
@Configuration(proxyBeanMethods = false)
class NodeConfiguration {

  @Bean
  NodeIdentity nodeIdentity(
      NodeSettings settings,
      DataDirectory data,
      Clock clock,
      ObjectProvider<BuildProperties> build) {
    String id = settings.id() != null ? settings.id() : NodeIdFile.readOrCreate(data.dataDir());
    BuildProperties properties = build.getIfAvailable();
    return new NodeIdentity(
        id,
        UUID.randomUUID(),
        clock.instant(),
        host(),
        ProcessHandle.current().pid(),
        properties == null ? null : properties.getVersion());
  }

  private static String host() {
    String fromEnvironment = System.getenv("HOSTNAME");
    if (fromEnvironment != null && !fromEnvironment.isBlank()) {
      return truncate(fromEnvironment.strip());
    }
    try {
      return truncate(InetAddress.getLocalHost().getHostName());
    } catch (UnknownHostException e) {
      return "unknown";
    }
  }

  private static String truncate(String host) {
    return host.length() <= 255 ? host : host.substring(0, 255);
  }
}
