package io.parley.calls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * {@code PARLEY_RECORDINGS_PLAYBACK_ROLE}: SUPERVISOR unless set, any role's name, nothing else.
 */
class RecordingSettingsTest {

  @Test
  void defaultsToSupervisor() {
    assertThat(new RecordingSettings(null).authority()).isEqualTo("ROLE_SUPERVISOR");
    assertThat(new RecordingSettings(" ").playbackRole()).isEqualTo("SUPERVISOR");
  }

  @Test
  void takesAnyRoleFromTheEnvironmentInAnyCase() {
    assertThat(fromEnvironment(" operator ").authority()).isEqualTo("ROLE_OPERATOR");
    assertThat(fromEnvironment("ADMIN").authority()).isEqualTo("ROLE_ADMIN");
  }

  @Test
  void refusesAnythingElseNamingTheVariable() {
    assertThatThrownBy(() -> fromEnvironment("boss"))
        .isInstanceOf(BindException.class)
        .rootCause()
        .hasMessageContaining("PARLEY_RECORDINGS_PLAYBACK_ROLE")
        .hasMessageContaining("boss");
  }

  private static RecordingSettings fromEnvironment(String value) {
    MutablePropertySources sources = new MutablePropertySources();
    sources.addFirst(
        new SystemEnvironmentPropertySource(
            "env", Map.of("PARLEY_RECORDINGS_PLAYBACK_ROLE", value)));
    return new Binder(ConfigurationPropertySources.from(sources))
        .bind("parley.recordings", RecordingSettings.class)
        .get();
  }
}
