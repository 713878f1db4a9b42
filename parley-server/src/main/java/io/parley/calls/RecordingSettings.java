package io.parley.calls;

import io.parley.auth.Role;
import java.util.Arrays;
import java.util.Locale;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Recording settings.
 *
 * @param playbackRole {@code PARLEY_RECORDINGS_PLAYBACK_ROLE}: the least role that may listen to
 *     recordings ({@code VIEWER}, {@code OPERATOR}, {@code SUPERVISOR} or {@code ADMIN}); default
 *     {@code SUPERVISOR}, since a recording holds a caller's voice and whatever they said
 */
@ConfigurationProperties("parley.recordings")
record RecordingSettings(String playbackRole) {

  RecordingSettings {
    String role = playbackRole == null || playbackRole.isBlank() ? "SUPERVISOR" : playbackRole;
    role = role.strip().toUpperCase(Locale.ROOT);
    String wanted = role;
    if (Arrays.stream(Role.values()).noneMatch(r -> r.name().equals(wanted))) {
      throw new IllegalArgumentException(
          "PARLEY_RECORDINGS_PLAYBACK_ROLE must be one of "
              + Arrays.toString(Role.values())
              + ", was "
              + playbackRole);
    }
    playbackRole = role;
  }

  /** Whether {@code role} reaches the playback role (roles nest: ADMIN includes them all). */
  boolean allows(Role role) {
    return role != null && role.ordinal() <= Role.valueOf(playbackRole).ordinal();
  }

  /** The role as Spring Security's authority. */
  String authority() {
    return Role.valueOf(playbackRole).authority();
  }
}
