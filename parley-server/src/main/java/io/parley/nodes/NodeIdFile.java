package io.parley.nodes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * The generated node id, kept in {@code PARLEY_DATA_DIR/node-id} so that a restarted node is the
 * same node: its earlier calls are then recognisably its own.
 */
final class NodeIdFile {

  static final String NAME = "node-id";

  private NodeIdFile() {}

  /** The id in the file, or a new one written there first. */
  static String readOrCreate(Path dataDir) {
    Path file = dataDir.resolve(NAME);
    try {
      if (!Files.exists(file)) {
        create(dataDir, file);
      }
      String id = Files.readString(file, StandardCharsets.UTF_8).strip();
      if (!NodeSettings.ID.matcher(id).matches()) {
        throw new IllegalStateException(
            file
                + " does not hold a node id (1-64 letters, digits, '.', '_' or '-'): fix or delete"
                + " it, or set PARLEY_NODE_ID");
      }
      return id;
    } catch (IOException e) {
      throw new UncheckedIOException("Could not read or create the node id in " + file, e);
    }
  }

  /**
   * Written aside, then linked into place: a crash never leaves half an id, and of two processes
   * starting on one fresh directory the second finds the first one's file (a link, unlike a rename,
   * never replaces one) and uses that id.
   */
  private static void create(Path dataDir, Path file) throws IOException {
    Files.createDirectories(dataDir);
    Path partial = Files.createTempFile(dataDir, NAME, ".tmp");
    try {
      Files.writeString(partial, "node-" + UUID.randomUUID() + "\n", StandardCharsets.UTF_8);
      try {
        Files.createLink(file, partial);
      } catch (UnsupportedOperationException noLinks) {
        Files.move(partial, file);
      }
    } catch (FileAlreadyExistsException raced) {
      // Another process created it first: that id is the one.
    } finally {
      Files.deleteIfExists(partial);
    }
  }
}
