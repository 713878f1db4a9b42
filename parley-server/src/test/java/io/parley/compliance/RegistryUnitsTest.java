package io.parley.compliance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.shared.InvalidInputException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** The registry's small parts: line layouts, area-code ranges, settings from the environment. */
class RegistryUnitsTest {

  @Test
  void everyAcceptedLayoutReadsTheSameNumberAndOthersAreRefused() {
    RegistryLine.Number expected = new RegistryLine.Number(201, 5550123);
    for (String line :
        List.of(
            "201,5550123",
            " 201 , 5550123 ",
            "2015550123",
            "12015550123",
            "+12015550123",
            "(201) 555-0123",
            "201.555.0123",
            "+1 201 555 0123")) {
      assertThat(RegistryLine.parse(line)).as(line).isEqualTo(expected);
    }
    for (String line :
        List.of(
            "201,555012",
            "20,15550123",
            "201,5550123,x",
            "+2015550123",
            "22015550123",
            "201555012",
            "1015550123",
            "2011550123",
            "201-555-0123 ext 4",
            "<PhoneNumber>2015550123</PhoneNumber>",
            "")) {
      assertThat(RegistryLine.parse(line)).as(line).isNull();
    }
  }

  @Test
  void areaCodesAreReadAsRangesAndWrittenSortedAndMerged() {
    AreaCodes codes = AreaCodes.parse(" 305, 201-299 ,300,786", "areaCodes");
    assertThat(codes.toString()).isEqualTo("201-300,305,786");
    assertThat(codes.size()).isEqualTo(102);
    assertThat(codes.contains(250)).isTrue();
    assertThat(codes.contains(301)).isFalse();
    assertThat(AreaCodes.parse("200-999", "x").size()).isEqualTo(800);
    for (String bad : List.of("", " ", "199", "201-", "299-201", "201,,305", "2O1", "1000")) {
      assertThatThrownBy(() -> AreaCodes.parse(bad, "areaCodes"))
          .as(bad)
          .isInstanceOf(InvalidInputException.class)
          .satisfies(
              e -> assertThat(((InvalidInputException) e).fieldErrors()).containsKey("areaCodes"));
    }
  }

  @Test
  void theSettingsBindFromTheirEnvironmentVariablesAndRefuseNonsense() {
    StandardEnvironment environment = new StandardEnvironment();
    environment
        .getPropertySources()
        .addFirst(
            new SystemEnvironmentPropertySource(
                "env",
                Map.of(
                    "PARLEY_DNC_REGISTRY_MAX_AGE", "20d",
                    "PARLEY_DNC_REGISTRY_WARN_BEFORE", "3d",
                    "PARLEY_DNC_REGISTRY_REGIONS", "us, CA")));
    RegistryProperties bound =
        new Binder(ConfigurationPropertySources.get(environment))
            .bindOrCreate("parley.dnc-registry", RegistryProperties.class);
    assertThat(bound.maxAge()).isEqualTo(Duration.ofDays(20));
    assertThat(bound.warnBefore()).isEqualTo(Duration.ofDays(3));
    assertThat(bound.regions()).containsExactly("US", "CA");

    RegistryProperties defaults = RegistryProperties.defaults();
    assertThat(defaults.maxAgeDays()).isEqualTo(31);
    assertThat(defaults.warnBefore()).isEqualTo(Duration.ofDays(7));
    assertThat(defaults.regions()).containsExactly("US");
    assertThat(new RegistryProperties(null, null, List.of()).regions()).isEmpty();

    assertThatThrownBy(() -> new RegistryProperties(Duration.ofHours(36), null, null))
        .hasMessageContaining("PARLEY_DNC_REGISTRY_MAX_AGE");
    assertThatThrownBy(() -> new RegistryProperties(null, Duration.ofDays(40), null))
        .hasMessageContaining("PARLEY_DNC_REGISTRY_WARN_BEFORE");
    assertThatThrownBy(() -> new RegistryProperties(null, null, List.of("GB")))
        .hasMessageContaining("GB");
  }
}
