package io.parley.calls;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.UUID;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The at-rest format of Parley's recording copies: AES-256-GCM in 64 KiB segments (the "STREAM"
 * construction Tink's streaming AEAD uses), so a byte range (a browser seeking) decrypts only the
 * segments it touches and every segment is authenticated on its own.
 *
 * <p>Layout: a header (magic {@code PRLYREC1}, the master key's 8-byte fingerprint, the segment
 * size, a 16-byte random salt, a 7-byte random nonce prefix), then the segments, each its
 * ciphertext and 16-byte tag. Each file has its own key, HKDF-SHA256 of the master key with the
 * salt and the call id: a nonce can never repeat across files, and a copy moved to another call's
 * name does not decrypt. Segment {@code i}'s nonce is the prefix, {@code i} (4 bytes) and a last
 * flag (1 byte); the header is every segment's associated data. A file cut short, reordered or
 * edited fails to decrypt, and the last segment is checked when a file is opened, so the length a
 * reader reports is authentic.
 */
final class RecordingCipher {

  static final int SEGMENT = 64 * 1024;
  private static final int TAG = 16;
  private static final byte[] MAGIC = "PRLYREC1".getBytes(StandardCharsets.US_ASCII);
  private static final int FINGERPRINT = 8;
  private static final int SALT = 16;
  private static final int PREFIX = 7;
  static final int HEADER = MAGIC.length + FINGERPRINT + Integer.BYTES + SALT + PREFIX;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SecretKey master;
  private final byte[] fingerprint;

  /**
   * @param key 32 bytes (AES-256)
   */
  RecordingCipher(byte[] key) {
    if (key.length != 32) {
      throw new IllegalArgumentException("A recording key is 32 bytes");
    }
    this.master = new SecretKeySpec(key.clone(), "HmacSHA256");
    this.fingerprint =
        Arrays.copyOf(hmac(master, "parley-recording-key-id".getBytes(StandardCharsets.UTF_8)), 8);
  }

  /** Encrypts {@code plain} (read to its end) to {@code out}; returns the plaintext length. */
  long encrypt(UUID callId, InputStream plain, OutputStream out)
      throws IOException, GeneralSecurityException {
    byte[] salt = random(SALT);
    byte[] prefix = random(PREFIX);
    byte[] header = header(salt, prefix);
    out.write(header);
    SecretKey key = fileKey(salt, callId);
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    byte[] current = new byte[SEGMENT];
    byte[] next = new byte[SEGMENT];
    byte[] sealed = new byte[SEGMENT + TAG];
    int length = plain.readNBytes(current, 0, SEGMENT);
    long total = 0;
    for (int index = 0; ; index++) {
      // A segment is the last when nothing follows it: read one ahead to know.
      int nextLength = length == SEGMENT ? plain.readNBytes(next, 0, SEGMENT) : 0;
      boolean last = nextLength == 0;
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce(prefix, index, last)));
      cipher.updateAAD(header);
      int n = cipher.doFinal(current, 0, length, sealed, 0);
      out.write(sealed, 0, n);
      total += length;
      if (last) {
        return total;
      }
      byte[] swap = current;
      current = next;
      next = swap;
      length = nextLength;
    }
  }

  /**
   * Opens an encrypted copy for reading; fails when it is not one, was written with another key, or
   * was cut short or altered at its end.
   */
  Reader open(Path file, UUID callId) throws IOException, GeneralSecurityException {
    FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
    try {
      ByteBuffer head = ByteBuffer.allocate(HEADER);
      readFully(channel, head, 0);
      byte[] header = head.array();
      if (!Arrays.equals(header, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
        throw new GeneralSecurityException("Not a Parley recording copy");
      }
      byte[] keyId = Arrays.copyOfRange(header, MAGIC.length, MAGIC.length + FINGERPRINT);
      if (!MessageDigest.isEqual(keyId, fingerprint)) {
        throw new GeneralSecurityException(
            "The recording copy was encrypted with another PARLEY_RECORDING_KEY");
      }
      int segment = ByteBuffer.wrap(header, MAGIC.length + FINGERPRINT, Integer.BYTES).getInt();
      if (segment != SEGMENT) {
        throw new GeneralSecurityException("Unknown segment size " + segment);
      }
      int saltAt = MAGIC.length + FINGERPRINT + Integer.BYTES;
      byte[] salt = Arrays.copyOfRange(header, saltAt, saltAt + SALT);
      byte[] prefix = Arrays.copyOfRange(header, saltAt + SALT, HEADER);
      long body = channel.size() - HEADER;
      long segments = Math.max(1, (body + SEGMENT + TAG - 1) / (SEGMENT + TAG));
      long length = body - segments * TAG;
      if (length < 0 || segments > Integer.MAX_VALUE) {
        throw new GeneralSecurityException("The recording copy is cut short");
      }
      Reader reader =
          new Reader(channel, header, fileKey(salt, callId), prefix, (int) segments, length);
      reader.segment((int) segments - 1); // authenticates the end, so the length is true
      return reader;
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  /** An open encrypted copy: its plaintext length and any byte range of it, decrypted lazily. */
  static final class Reader implements AutoCloseable {
    private final FileChannel channel;
    private final byte[] header;
    private final SecretKey key;
    private final byte[] prefix;
    private final int segments;
    private final long length;
    private final Cipher cipher;

    private Reader(
        FileChannel channel, byte[] header, SecretKey key, byte[] prefix, int segments, long length)
        throws GeneralSecurityException {
      this.channel = channel;
      this.header = header;
      this.key = key;
      this.prefix = prefix;
      this.segments = segments;
      this.length = length;
      this.cipher = Cipher.getInstance("AES/GCM/NoPadding");
    }

    long length() {
      return length;
    }

    /** Bytes {@code from} to {@code to} inclusive, both within the recording. */
    InputStream range(long from, long to) {
      if (from < 0 || to < from || to >= length) {
        throw new IllegalArgumentException("Range " + from + "-" + to + " outside " + length);
      }
      return new InputStream() {
        private long position = from;
        private byte[] plain;
        private int plainIndex = -1;

        @Override
        public int read() throws IOException {
          byte[] one = new byte[1];
          return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          if (position > to) {
            return -1;
          }
          int index = (int) (position / SEGMENT);
          if (index != plainIndex) {
            try {
              plain = segment(index);
            } catch (GeneralSecurityException e) {
              throw new IOException("The recording copy does not decrypt: " + e.getMessage(), e);
            }
            plainIndex = index;
          }
          int offset = (int) (position - (long) index * SEGMENT);
          int n = (int) Math.min(Math.min(len, plain.length - offset), to - position + 1);
          System.arraycopy(plain, offset, b, off, n);
          position += n;
          return n;
        }
      };
    }

    private byte[] segment(int index) throws IOException, GeneralSecurityException {
      boolean last = index == segments - 1;
      long start = HEADER + (long) index * (SEGMENT + TAG);
      int sealedLength = last ? (int) (length - (long) index * SEGMENT) + TAG : SEGMENT + TAG;
      ByteBuffer sealed = ByteBuffer.allocate(sealedLength);
      readFully(channel, sealed, start);
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, nonce(prefix, index, last)));
      cipher.updateAAD(header);
      return cipher.doFinal(sealed.array());
    }

    @Override
    public void close() throws IOException {
      channel.close();
    }
  }

  private byte[] header(byte[] salt, byte[] prefix) {
    return ByteBuffer.allocate(HEADER)
        .put(MAGIC)
        .put(fingerprint)
        .putInt(SEGMENT)
        .put(salt)
        .put(prefix)
        .array();
  }

  /** HKDF-SHA256 (RFC 5869) of the master key: extract with the salt, expand with the call id. */
  private SecretKey fileKey(byte[] salt, UUID callId) {
    byte[] pseudoRandom = hmac(new SecretKeySpec(salt, "HmacSHA256"), master.getEncoded());
    byte[] info =
        ByteBuffer.allocate(17)
            .putLong(callId.getMostSignificantBits())
            .putLong(callId.getLeastSignificantBits())
            .put((byte) 1)
            .array();
    byte[] okm = hmac(new SecretKeySpec(pseudoRandom, "HmacSHA256"), info);
    return new SecretKeySpec(okm, "AES");
  }

  private static byte[] nonce(byte[] prefix, int index, boolean last) {
    return ByteBuffer.allocate(12).put(prefix).putInt(index).put((byte) (last ? 1 : 0)).array();
  }

  private static byte[] hmac(SecretKey key, byte[] data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }

  private static byte[] random(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    return b;
  }

  private static void readFully(FileChannel channel, ByteBuffer into, long position)
      throws IOException {
    while (into.hasRemaining()) {
      int n = channel.read(into, position + into.position());
      if (n < 0) {
        throw new IOException("The recording copy is cut short");
      }
    }
  }
}
