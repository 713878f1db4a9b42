package io.parley.nodes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The node id: configured, or generated once and kept in the data directory. */
class NodeIdentityTest {

  @TempDir Path dataDir;

  @Test
  void aGeneratedIdIsWrittenOnceAndReadBackOnEveryStart() throws Exception {
    String first = NodeIdFile.readOrCreate(dataDir);
    String second = NodeIdFile.readOrCreate(dataDir);

    assertThat(first).matches("node-[0-9a-f-]{36}").isEqualTo(second);
    assertThat(Files.readString(dataDir.resolve(NodeIdFile.NAME)).strip()).isEqualTo(first);
    try (var files = Files.list(dataDir)) {
      assertThat(files).as("no temporary file left behind").hasSize(1);
    }
  }

  @Test
  void theFileIsCreatedInADataDirectoryThatDoesNotExistYet() {
    Path fresh = dataDir.resolve("a/b");

    assertThat(NodeIdFile.readOrCreate(fresh)).isEqualTo(NodeIdFile.readOrCreate(fresh));
  }

  @Test
  void aFileThatHoldsNoIdStopsStartUp() throws Exception {
    Files.writeString(dataDir.resolve(NodeIdFile.NAME), "not an id!\n");

    assertThatThrownBy(() -> NodeIdFile.readOrCreate(dataDir))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("PARLEY_NODE_ID");
  }

  @Test
  void settingsDefaultToAFiveSecondHeartbeatAndFifteenSecondsToDeath() {
    NodeSettings defaults = new NodeSettings(" ", null, null);

    assertThat(defaults.id()).isNull();
    assertThat(defaults.heartbeatInterval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(defaults.deadAfter()).isEqualTo(Duration.ofSeconds(15));
  }

  @Test
  void badSettingsStopStartUpNamingTheVariable() {
    assertThatThrownBy(() -> new NodeSettings("node a", null, null))
        .hasMessageContaining("PARLEY_NODE_ID");
    assertThatThrownBy(() -> new NodeSettings("x".repeat(65), null, null))
        .hasMessageContaining("PARLEY_NODE_ID");
    assertThatThrownBy(() -> new NodeSettings(null, Duration.ZERO, null))
        .hasMessageContaining("PARLEY_NODE_HEARTBEAT_INTERVAL");
    assertThatThrownBy(() -> new NodeSettings(null, Duration.ofSeconds(10), Duration.ofSeconds(15)))
        .hasMessageContaining("PARLEY_NODE_DEAD_AFTER");
    assertThat(new NodeSettings("eu-1.node_2", null, null).id()).isEqualTo("eu-1.node_2");
  }
}
