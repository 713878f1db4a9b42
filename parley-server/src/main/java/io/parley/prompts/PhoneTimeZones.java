package io.parley.prompts;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberToTimeZonesMapper;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

/** The time zone of a phone number, when libphonenumber knows exactly one for it. */
final class PhoneTimeZones {

  private static final String UNKNOWN = "Etc/Unknown";

  private PhoneTimeZones() {}

  /**
   * The single zone a valid E.164 number belongs to; empty for numbers spanning several zones (most
   * of the US, Russia, Brazil...), unknown prefixes and invalid numbers.
   */
  static Optional<ZoneId> of(String e164) {
    PhoneNumber number;
    try {
      number = PhoneNumberUtil.getInstance().parse(e164, "ZZ");
    } catch (NumberParseException e) {
      return Optional.empty();
    }
    List<String> zones = PhoneNumberToTimeZonesMapper.getInstance().getTimeZonesForNumber(number);
    if (zones.size() != 1 || zones.getFirst().equals(UNKNOWN)) {
      return Optional.empty();
    }
    return TimeZones.parse(zones.getFirst());
  }
}
