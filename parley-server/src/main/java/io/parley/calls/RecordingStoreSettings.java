package io.parley.calls;

import java.util.Base64;
import java.util.Locale;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where recordings are kept.
 *
 * @param store {@code PARLEY_RECORDING_STORE}: {@code twilio} (default: Twilio keeps the recording
 *     and Parley streams it from there) or {@code local} (Parley also keeps its own copy under
 *     {@code PARLEY_DATA_DIR/recordings}, encrypted, and serves it from there, also after Twilio's
 *     copy is gone)
 * @param key {@code PARLEY_RECORDING_KEY}: the AES-256 key of the local copies, 32 bytes in base64
 *     (e.g. {@code openssl rand -base64 32}); required with {@code local}. Losing it loses the
 *     copies; changing it makes the old ones unreadable.
 */
@ConfigurationProperties("parley.recording")
record RecordingStoreSettings(String store, String key) {

  RecordingStoreSettings {
    String kind =
        store == null || store.isBlank() ? "twilio" : store.strip().toLowerCase(Locale.ROOT);
    if (!kind.equals("twilio") && !kind.equals("local")) {
      throw new IllegalArgumentException(
          "PARLEY_RECORDING_STORE must be twilio or local, was " + store);
    }
    store = kind;
    if (kind.equals("local")) {
      keyBytes(key);
    }
  }

  boolean local() {
    return store.equals("local");
  }

  /** The key's 32 bytes; fails, naming the setting but never the value, when it is not that. */
  byte[] keyBytes() {
    return keyBytes(key);
  }

  private static byte[] keyBytes(String key) {
    if (key == null || key.isBlank()) {
      throw new IllegalArgumentException(
          "PARLEY_RECORDING_STORE=local needs PARLEY_RECORDING_KEY: 32 random bytes in base64"
              + " (openssl rand -base64 32)");
    }
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(key.strip());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("PARLEY_RECORDING_KEY is not base64");
    }
    if (bytes.length != 32) {
      throw new IllegalArgumentException(
          "PARLEY_RECORDING_KEY must be 32 bytes (AES-256) in base64, was " + bytes.length);
    }
    return bytes;
  }

  /** Never shows the key. */
  @Override
  public String toString() {
    return "RecordingStoreSettings[store="
        + store
        + ", key="
        + (key == null ? "unset" : "***")
        + "]";
  }
}
