package io.parley.campaigns;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import io.parley.compliance.PhoneNumbers;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns data lines of a lead file into leads: the number normalised to E.164 in the campaign's
 * default region, the zones kept (the file's and the number's: the calling window is checked in all
 * of them when the lead is dialled), consent read, other columns kept as prompt variables. A line
 * that cannot be a lead says why; a lead with no zone at all is held, not refused.
 */
final class LeadParser {

  static final int MAX_NAME = 100;
  static final int MAX_CONSENT_SOURCE = 200;
  static final int MAX_VARIABLE = 1000;
  private static final int MAX_PHONE_TEXT = 40;
  private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();
  private static final Set<String> IANA = ZoneId.getAvailableZoneIds();

  private final LeadColumns columns;
  private final String region;
  private final Instant now;

  LeadParser(LeadColumns columns, String region, Instant now) {
    this.columns = columns;
    this.region = region;
    this.now = now;
  }

  LeadLine parse(CsvReader.Row row) {
    List<String> cells = row.fields();
    String phoneText = columns.cell(cells, LeadColumns.PHONE);
    if (cells.size() > columns.width()) {
      return new LeadLine.Invalid(
          row.line(),
          phoneText,
          "has " + cells.size() + " fields where the header has " + columns.width());
    }
    if (phoneText == null) {
      return new LeadLine.Invalid(row.line(), null, "phone is empty");
    }
    String number;
    try {
      number = e164(phoneText);
    } catch (IllegalArgumentException e) {
      return new LeadLine.Invalid(row.line(), phoneText, "phone " + e.getMessage());
    }
    String zoneText = columns.cell(cells, LeadColumns.TIME_ZONE);
    if (zoneText != null && !IANA.contains(zoneText)) {
      return new LeadLine.Invalid(
          row.line(),
          phoneText,
          "time_zone is not an IANA time zone name (such as America/New_York): " + zoneText);
    }
    String firstName = columns.cell(cells, LeadColumns.FIRST_NAME);
    String lastName = columns.cell(cells, LeadColumns.LAST_NAME);
    String consentSource = columns.cell(cells, LeadColumns.CONSENT_SOURCE);
    String tooLong =
        firstTooLong(
            Map.of(LeadColumns.FIRST_NAME, text(firstName), LeadColumns.LAST_NAME, text(lastName)),
            MAX_NAME);
    if (tooLong == null && text(consentSource).length() > MAX_CONSENT_SOURCE) {
      tooLong =
          LeadColumns.CONSENT_SOURCE + " is longer than " + MAX_CONSENT_SOURCE + " characters";
    }
    if (tooLong != null) {
      return new LeadLine.Invalid(row.line(), phoneText, tooLong);
    }
    Instant consentAt = null;
    String consentText = columns.cell(cells, LeadColumns.CONSENT_AT);
    if (consentText != null) {
      consentAt = instant(consentText);
      if (consentAt == null) {
        return new LeadLine.Invalid(
            row.line(),
            phoneText,
            "consent_at must be a date (2026-03-01) or a date and time with its offset"
                + " (2026-03-01T14:30:00Z): "
                + consentText);
      }
      if (consentAt.isAfter(now)) {
        return new LeadLine.Invalid(
            row.line(), phoneText, "consent_at is in the future: " + consentText);
      }
    }
    Map<String, String> variables = new LinkedHashMap<>();
    for (Map.Entry<Integer, String> variable : columns.variables().entrySet()) {
      int index = variable.getKey();
      String value = index < cells.size() ? cells.get(index).strip() : "";
      if (value.length() > MAX_VARIABLE) {
        return new LeadLine.Invalid(
            row.line(),
            phoneText,
            variable.getValue() + " is longer than " + MAX_VARIABLE + " characters");
      }
      if (!value.isEmpty()) {
        variables.put(variable.getValue(), value);
      }
    }
    List<String> zones = PhoneNumbers.zonesOf(number).stream().map(ZoneId::getId).toList();
    boolean noZone = zones.isEmpty() && zoneText == null;
    return new LeadLine.Lead(
        row.line(),
        new NewLead(
            number,
            firstName,
            lastName,
            zoneText,
            zones,
            consentSource,
            consentAt,
            variables,
            noZone ? LeadStatus.HELD : LeadStatus.PENDING,
            noZone
                ? "no time zone: the number's zone is unknown and the file gave none (add a"
                    + " time_zone)"
                : null));
  }

  /**
   * The number in E.164 form, read in the campaign's region when it has no country code.
   *
   * @throws IllegalArgumentException with the reason (to follow "phone ")
   */
  private String e164(String text) {
    if (text.length() > MAX_PHONE_TEXT) {
      throw new IllegalArgumentException("is longer than " + MAX_PHONE_TEXT + " characters");
    }
    PhoneNumber number;
    try {
      number = PHONES.parse(text, region);
    } catch (NumberParseException e) {
      throw new IllegalArgumentException("is not a phone number: " + text);
    }
    if (!PHONES.isValidNumber(number)) {
      throw new IllegalArgumentException("is not a valid number (no such number range): " + text);
    }
    return PHONES.format(number, PhoneNumberFormat.E164);
  }

  private static Instant instant(String text) {
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException notADateTime) {
      try {
        return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
      } catch (DateTimeParseException notADate) {
        return null;
      }
    }
  }

  private static String firstTooLong(Map<String, String> values, int max) {
    for (String field : List.of(LeadColumns.FIRST_NAME, LeadColumns.LAST_NAME)) {
      if (values.get(field).length() > max) {
        return field + " is longer than " + max + " characters";
      }
    }
    return null;
  }

  private static String text(String value) {
    return value == null ? "" : value;
  }
}
