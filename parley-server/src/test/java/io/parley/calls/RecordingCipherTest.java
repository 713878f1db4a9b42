package io.parley.calls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The at-rest format of local recording copies: every length round-trips, any byte range reads back
 * exactly, and a file cut short, altered, moved to another call or read with another key does not
 * decrypt.
 */
class RecordingCipherTest {

  private static final int SEGMENT = RecordingCipher.SEGMENT;
  private static final UUID CALL = UUID.fromString("7b7c0f5e-3f8e-4a53-9a2f-0f9c2d1e4b11");

  @TempDir Path dir;

  private final RecordingCipher cipher = new RecordingCipher(key(1));

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 44, SEGMENT - 1, SEGMENT, SEGMENT + 1, 3 * SEGMENT + 17})
  void everyLengthRoundTrips(int length) throws Exception {
    byte[] plain = bytes(length, length);
    Path file = write(plain, CALL);
    assertThat(Files.size(file)).isGreaterThan(length);
    try (RecordingCipher.Reader reader = cipher.open(file, CALL)) {
      assertThat(reader.length()).isEqualTo(length);
      if (length > 0) {
        assertThat(read(reader, 0, length - 1)).isEqualTo(plain);
      }
    }
  }

  @Test
  void rangesReadBackExactlyAcrossSegments() throws Exception {
    byte[] plain = bytes(3 * SEGMENT + 500, 7);
    Path file = write(plain, CALL);
    long[][] ranges = {
      {0, 0},
      {0, 43},
      {SEGMENT - 10, SEGMENT + 10},
      {SEGMENT, SEGMENT},
      {SEGMENT + 1, 3 * SEGMENT + 2},
      {plain.length - 1, plain.length - 1},
      {5, plain.length - 1}
    };
    try (RecordingCipher.Reader reader = cipher.open(file, CALL)) {
      for (long[] r : ranges) {
        assertThat(read(reader, r[0], r[1]))
            .as("bytes %d-%d", r[0], r[1])
            .isEqualTo(Arrays.copyOfRange(plain, (int) r[0], (int) r[1] + 1));
      }
      assertThatThrownBy(() -> reader.range(0, plain.length))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void theCopyHoldsNoPlaintext() throws Exception {
    byte[] plain = bytes(2 * SEGMENT, 3);
    byte[] stored = Files.readAllBytes(write(plain, CALL));
    byte[] probe = Arrays.copyOfRange(plain, 1000, 1032);
    assertThat(indexOf(stored, probe)).isEqualTo(-1);
  }

  @Test
  void anAlteredByteFailsWhereverItIs() throws Exception {
    byte[] plain = bytes(2 * SEGMENT + 100, 5);
    Path file = write(plain, CALL);
    byte[] stored = Files.readAllBytes(file);
    // In the first segment: the end still opens, reading the range fails.
    stored[RecordingCipher.HEADER + 10] ^= 1;
    Files.write(file, stored);
    try (RecordingCipher.Reader reader = cipher.open(file, CALL)) {
      assertThatThrownBy(() -> read(reader, 0, 100)).isInstanceOf(IOException.class);
    }
    // In the header (the salt): nothing opens.
    stored[RecordingCipher.HEADER + 10] ^= 1;
    stored[RecordingCipher.HEADER - 10] ^= 1;
    Files.write(file, stored);
    assertThatThrownBy(() -> cipher.open(file, CALL)).isInstanceOf(GeneralSecurityException.class);
  }

  @Test
  void aCopyCutShortDoesNotOpenEvenAtASegmentBoundary() throws Exception {
    byte[] plain = bytes(2 * SEGMENT + 100, 9);
    Path file = write(plain, CALL);
    byte[] stored = Files.readAllBytes(file);
    Files.write(file, Arrays.copyOf(stored, stored.length - 1));
    assertThatThrownBy(() -> cipher.open(file, CALL)).isInstanceOf(GeneralSecurityException.class);
    // Dropping the whole last segment leaves a file that looks complete: its last flag says no.
    Files.write(file, Arrays.copyOf(stored, RecordingCipher.HEADER + 2 * (SEGMENT + 16)));
    assertThatThrownBy(() -> cipher.open(file, CALL)).isInstanceOf(GeneralSecurityException.class);
  }

  @Test
  void anotherCallOrAnotherKeyCannotRead() throws Exception {
    Path file = write(bytes(1000, 11), CALL);
    assertThatThrownBy(() -> cipher.open(file, UUID.randomUUID()))
        .isInstanceOf(GeneralSecurityException.class);
    assertThatThrownBy(() -> new RecordingCipher(key(2)).open(file, CALL))
        .isInstanceOf(GeneralSecurityException.class)
        .hasMessageContaining("another PARLEY_RECORDING_KEY");
  }

  @Test
  void theSameRecordingEncryptsDifferentlyEachTime() throws Exception {
    byte[] plain = bytes(5000, 13);
    assertThat(Files.readAllBytes(write(plain, CALL)))
        .isNotEqualTo(Files.readAllBytes(write(plain, CALL)));
  }

  private Path write(byte[] plain, UUID call) throws Exception {
    Path file = Files.createTempFile(dir, "copy", ".rec");
    try (OutputStream out = Files.newOutputStream(file)) {
      assertThat(cipher.encrypt(call, new ByteArrayInputStream(plain), out))
          .isEqualTo(plain.length);
    }
    return file;
  }

  private static byte[] read(RecordingCipher.Reader reader, long from, long to) throws IOException {
    try (InputStream in = reader.range(from, to)) {
      return in.readAllBytes();
    }
  }

  private static byte[] bytes(int length, long seed) {
    byte[] b = new byte[length];
    new Random(seed).nextBytes(b);
    return b;
  }

  private static byte[] key(int seed) {
    byte[] k = new byte[32];
    new Random(seed).nextBytes(k);
    return k;
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
