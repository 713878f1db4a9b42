package io.parley.compliance;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Registry lists ({@code PARLEY_DNC_REGISTRY_*}), the gate's third layer.
 *
 * @param maxAge {@code PARLEY_DNC_REGISTRY_MAX_AGE}: a registry copy downloaded longer ago than
 *     this (in whole days) no longer vouches for a number, and telemarketing dials it covers are
 *     refused; default 31 days, the TSR's limit (its safe harbour asks that the registry was
 *     accessed no more than 31 days before the call)
 * @param warnBefore {@code PARLEY_DNC_REGISTRY_WARN_BEFORE}: how long before a copy goes stale the
 *     health indicator starts warning; default 7 days
 * @param regions {@code PARLEY_DNC_REGISTRY_REGIONS}: the regions (libphonenumber's region codes,
 *     North American ones only) whose numbers a telemarketing dial may reach only when a national
 *     copy covers their area code; default {@code US}; empty: none (the lists imported still refuse
 *     their numbers)
 */
@ConfigurationProperties("parley.dnc-registry")
record RegistryProperties(Duration maxAge, Duration warnBefore, List<String> regions) {

  static final Duration DEFAULT_MAX_AGE = Duration.ofDays(31);
  static final Duration DEFAULT_WARN_BEFORE = Duration.ofDays(7);

  RegistryProperties {
    maxAge = maxAge == null ? DEFAULT_MAX_AGE : maxAge;
    warnBefore = warnBefore == null ? DEFAULT_WARN_BEFORE : warnBefore;
    regions =
        regions == null
            ? List.of("US")
            : regions.stream()
                .map(String::strip)
                .filter(r -> !r.isEmpty())
                .map(r -> r.toUpperCase(Locale.ROOT))
                .toList();
    if (maxAge.toDays() < 1 || !maxAge.equals(Duration.ofDays(maxAge.toDays()))) {
      throw new IllegalArgumentException(
          "PARLEY_DNC_REGISTRY_MAX_AGE must be a whole number of days, 1 or more (e.g. 31d), not "
              + maxAge);
    }
    if (warnBefore.isNegative() || warnBefore.compareTo(maxAge) > 0) {
      throw new IllegalArgumentException(
          "PARLEY_DNC_REGISTRY_WARN_BEFORE must be between 0 and PARLEY_DNC_REGISTRY_MAX_AGE ("
              + maxAge.toDays()
              + " days), not "
              + warnBefore);
    }
    PhoneNumberUtil util = PhoneNumberUtil.getInstance();
    for (String region : regions) {
      if (util.getCountryCodeForRegion(region) != 1) {
        throw new IllegalArgumentException(
            "PARLEY_DNC_REGISTRY_REGIONS names "
                + region
                + ", which is not a North American Numbering Plan region (US, CA, PR, GU…);"
                + " registry copies cover +1 area codes only");
      }
    }
  }

  static RegistryProperties defaults() {
    return new RegistryProperties(null, null, null);
  }

  long maxAgeDays() {
    return maxAge.toDays();
  }
}
