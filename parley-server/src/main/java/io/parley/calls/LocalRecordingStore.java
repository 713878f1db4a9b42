package io.parley.calls;

import io.parley.database.DataDirectory;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Parley's own copies of recordings ({@code PARLEY_RECORDING_STORE=local}): one file per call under
 * {@code PARLEY_DATA_DIR/recordings}, encrypted with {@link RecordingCipher}. A copy is written to
 * a temporary file, forced to disk and then moved into place, so a reader (or a crash) never sees
 * half a file. Several nodes share it only if the directory is shared storage; otherwise each copy
 * lives on the node that ran its copy job (see docs/recordings.md).
 */
@Component
class LocalRecordingStore {

  private static final String SUFFIX = ".rec";

  private final RecordingCipher cipher;
  private final Path directory;

  LocalRecordingStore(RecordingStoreSettings settings, DataDirectory data) {
    this.cipher = settings.local() ? new RecordingCipher(settings.keyBytes()) : null;
    this.directory = data.resolve("recordings");
  }

  boolean enabled() {
    return cipher != null;
  }

  boolean has(UUID callId) {
    return enabled() && Files.isRegularFile(file(callId));
  }

  /** Encrypts {@code plain} into the call's copy, replacing any; returns the plaintext length. */
  long save(UUID callId, InputStream plain) throws IOException, GeneralSecurityException {
    requireEnabled();
    createDirectory();
    Path part = Files.createTempFile(directory, callId.toString(), ".part");
    try {
      long length;
      try (FileChannel channel = FileChannel.open(part, StandardOpenOption.WRITE);
          OutputStream out = Channels.newOutputStream(channel)) {
        length = cipher.encrypt(callId, plain, out);
        out.flush();
        channel.force(true);
      }
      Files.move(part, file(callId), StandardCopyOption.ATOMIC_MOVE);
      return length;
    } finally {
      Files.deleteIfExists(part);
    }
  }

  /** The call's copy, open for reading; empty when there is none. The caller closes it. */
  Optional<RecordingCipher.Reader> open(UUID callId) throws IOException, GeneralSecurityException {
    if (!has(callId)) {
      return Optional.empty();
    }
    return Optional.of(cipher.open(file(callId), callId));
  }

  /** Removes the call's copy; true when there was one. */
  boolean delete(UUID callId) throws IOException {
    return enabled() && Files.deleteIfExists(file(callId));
  }

  private Path file(UUID callId) {
    return directory.resolve(callId + SUFFIX);
  }

  private void createDirectory() throws IOException {
    if (Files.isDirectory(directory)) {
      return;
    }
    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      // Only the server's own user may list or read the copies.
      Files.createDirectories(
          directory,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } else {
      Files.createDirectories(directory);
    }
  }

  private void requireEnabled() {
    if (!enabled()) {
      throw new IllegalStateException("PARLEY_RECORDING_STORE is not local");
    }
  }
}
