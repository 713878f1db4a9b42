package io.parley.compliance;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberToTimeZonesMapper;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import io.parley.shared.InvalidInputException;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;

/** Phone number checks for the calling rules, all through libphonenumber. */
public final class PhoneNumbers {

  private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();
  private static final Set<String> JAVA_ZONES = ZoneId.getAvailableZoneIds();
  private static final int MAX_LENGTH = 40;

  private PhoneNumbers() {}

  /**
   * The number in canonical E.164 form ({@code +14155550123}). Spaces, dashes, dots and brackets
   * are accepted ({@code +1 (415) 555-0123}) because lists come from spreadsheets, but the country
   * code is required: a DNC entry must match the number Twilio dials, whatever the region.
   *
   * @param field the request field to name when the number is not acceptable
   * @throws InvalidInputException naming {@code field} when the text is not a valid number
   */
  static String canonical(String text, String field) {
    if (text == null || text.isBlank()) {
      throw new InvalidInputException(field, "is required: a phone number in E.164 form");
    }
    String trimmed = text.strip();
    if (trimmed.length() > MAX_LENGTH || !trimmed.startsWith("+")) {
      throw new InvalidInputException(
          field, "must be in E.164 form: + and the country code, e.g. +14155550123");
    }
    PhoneNumber number;
    try {
      number = UTIL.parse(trimmed, null);
    } catch (NumberParseException e) {
      throw new InvalidInputException(field, "is not a phone number: " + e.getMessage());
    }
    if (!UTIL.isValidNumber(number)) {
      throw new InvalidInputException(
          field, "is not a valid phone number (no such number range for its country code)");
    }
    return UTIL.format(number, PhoneNumberFormat.E164);
  }

  /**
   * The zones libphonenumber places a number in, limited to the ones Java knows; empty when it does
   * not know ({@code Etc/Unknown}). Most US area codes map to one zone, but several (and toll-free
   * numbers, and whole countries such as Russia or Brazil) map to many.
   */
  public static List<ZoneId> zonesOf(String e164) {
    PhoneNumber number;
    try {
      number = UTIL.parse(e164, null);
    } catch (NumberParseException e) {
      return List.of();
    }
    return PhoneNumberToTimeZonesMapper.getInstance().getTimeZonesForNumber(number).stream()
        .filter(JAVA_ZONES::contains)
        .map(ZoneId::of)
        .toList();
  }
}
