package io.parley.compliance;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import com.google.i18n.phonenumbers.geocoding.PhoneNumberOfflineGeocoder;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The US state a number's area code belongs to, from libphonenumber's offline geocoder ("Miami,
 * FL", "Florida", "Washington D.C."): what state-specific calling hours (e.g. Florida's 08:00 to
 * 20:00) are looked up by. Toll-free and non-geographic numbers have none.
 */
public final class UsStates {

  private static final Pattern CITY_STATE = Pattern.compile(".*,\\s*([A-Z]{2})");

  static final Map<String, String> BY_NAME =
      Map.ofEntries(
          Map.entry("alabama", "AL"),
          Map.entry("alaska", "AK"),
          Map.entry("arizona", "AZ"),
          Map.entry("arkansas", "AR"),
          Map.entry("california", "CA"),
          Map.entry("colorado", "CO"),
          Map.entry("connecticut", "CT"),
          Map.entry("delaware", "DE"),
          Map.entry("washington d.c.", "DC"),
          Map.entry("florida", "FL"),
          Map.entry("georgia", "GA"),
          Map.entry("hawaii", "HI"),
          Map.entry("idaho", "ID"),
          Map.entry("illinois", "IL"),
          Map.entry("indiana", "IN"),
          Map.entry("iowa", "IA"),
          Map.entry("kansas", "KS"),
          Map.entry("kentucky", "KY"),
          Map.entry("louisiana", "LA"),
          Map.entry("maine", "ME"),
          Map.entry("maryland", "MD"),
          Map.entry("massachusetts", "MA"),
          Map.entry("michigan", "MI"),
          Map.entry("minnesota", "MN"),
          Map.entry("mississippi", "MS"),
          Map.entry("missouri", "MO"),
          Map.entry("montana", "MT"),
          Map.entry("nebraska", "NE"),
          Map.entry("nevada", "NV"),
          Map.entry("new hampshire", "NH"),
          Map.entry("new jersey", "NJ"),
          Map.entry("new mexico", "NM"),
          Map.entry("new york", "NY"),
          Map.entry("north carolina", "NC"),
          Map.entry("north dakota", "ND"),
          Map.entry("ohio", "OH"),
          Map.entry("oklahoma", "OK"),
          Map.entry("oregon", "OR"),
          Map.entry("pennsylvania", "PA"),
          Map.entry("rhode island", "RI"),
          Map.entry("south carolina", "SC"),
          Map.entry("south dakota", "SD"),
          Map.entry("tennessee", "TN"),
          Map.entry("texas", "TX"),
          Map.entry("utah", "UT"),
          Map.entry("vermont", "VT"),
          Map.entry("virginia", "VA"),
          Map.entry("washington", "WA"),
          Map.entry("west virginia", "WV"),
          Map.entry("wisconsin", "WI"),
          Map.entry("wyoming", "WY"));

  /** The two-letter codes state hours may name. */
  public static final Set<String> CODES = Set.copyOf(BY_NAME.values());

  private UsStates() {}

  /** The state of a US number in E.164 form, if its area code belongs to one. */
  public static Optional<String> of(String e164) {
    PhoneNumberUtil util = PhoneNumberUtil.getInstance();
    PhoneNumber number;
    try {
      number = util.parse(e164, "ZZ");
    } catch (NumberParseException e) {
      return Optional.empty();
    }
    if (!"US".equals(util.getRegionCodeForNumber(number))) {
      return Optional.empty();
    }
    String where =
        PhoneNumberOfflineGeocoder.getInstance().getDescriptionForNumber(number, Locale.ENGLISH);
    Matcher cityState = CITY_STATE.matcher(where);
    if (cityState.matches() && CODES.contains(cityState.group(1))) {
      return Optional.of(cityState.group(1));
    }
    return Optional.ofNullable(BY_NAME.get(where.strip().toLowerCase(Locale.ROOT)));
  }
}
