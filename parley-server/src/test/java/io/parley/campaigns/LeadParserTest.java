package io.parley.campaigns;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LeadParserTest {

  private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");
  private static final LeadColumns COLUMNS =
      LeadColumns.of(
          List.of(
              "phone",
              "first_name",
              "last_name",
              "time_zone",
              "consent_source",
              "consent_at",
              "appointment"),
          Map.of());
  private final LeadParser us = new LeadParser(COLUMNS, "US", NOW);

  private LeadLine parse(String... cells) {
    return us.parse(new CsvReader.Row(7, List.of(cells)));
  }

  private static NewLead lead(LeadLine line) {
    assertThat(line).isInstanceOf(LeadLine.Lead.class);
    return ((LeadLine.Lead) line).lead();
  }

  private static String reason(LeadLine line) {
    assertThat(line).isInstanceOf(LeadLine.Invalid.class);
    assertThat(line.line()).isEqualTo(7);
    return ((LeadLine.Invalid) line).reason();
  }

  @Test
  void aNationalNumberIsReadInTheCampaignsRegionAndKeepsItsZonesAndVariables() {
    NewLead lead =
        lead(parse("(415) 555-0123", "Ada", "Lovelace", "", "web form", "2026-03-01", "Tuesday"));
    assertThat(lead.phoneNumber()).isEqualTo("+14155550123");
    assertThat(lead.zones()).containsExactly("America/Los_Angeles");
    assertThat(lead.timeZone()).isNull();
    assertThat(lead.firstName()).isEqualTo("Ada");
    assertThat(lead.consentSource()).isEqualTo("web form");
    assertThat(lead.consentAt()).isEqualTo(Instant.parse("2026-03-01T00:00:00Z"));
    assertThat(lead.variables()).containsExactly(Map.entry("appointment", "Tuesday"));
    assertThat(lead.status()).isEqualTo(LeadStatus.PENDING);
  }

  @Test
  void theFilesZoneIsKeptBesideTheNumbersAndAnotherRegionReadsItsOwnNumbers() {
    NewLead lead =
        lead(
            new LeadParser(COLUMNS, "GB", NOW)
                .parse(new CsvReader.Row(2, List.of("020 7946 0018", "", "", "Europe/London"))));
    assertThat(lead.phoneNumber()).isEqualTo("+442079460018");
    assertThat(lead.timeZone()).isEqualTo("Europe/London");
    assertThat(lead.zones()).containsExactly("Europe/London");
  }

  @Test
  void aNumberWithNoKnownZoneAndNoZoneInTheFileIsHeldNotRefused() {
    NewLead lead = lead(parse("+80012345678"));
    assertThat(lead.zones()).isEmpty();
    assertThat(lead.status()).isEqualTo(LeadStatus.HELD);
    assertThat(lead.statusReason()).contains("no time zone");
    NewLead named = lead(parse("+80012345678", "", "", "Europe/Paris"));
    assertThat(named.status()).isEqualTo(LeadStatus.PENDING);
  }

  @Test
  void badRowsSayWhy() {
    assertThat(reason(parse(""))).isEqualTo("phone is empty");
    assertThat(reason(parse("call me"))).startsWith("phone is not a phone number");
    assertThat(reason(parse("+1415"))).startsWith("phone is not a valid number");
    assertThat(reason(parse("+14155550123", "", "", "Mars/Olympus")))
        .startsWith("time_zone is not an IANA time zone name");
    assertThat(reason(parse("+14155550123", "", "", "", "", "yesterday")))
        .startsWith("consent_at must be a date");
    assertThat(reason(parse("+14155550123", "", "", "", "", "2027-01-01")))
        .startsWith("consent_at is in the future");
    assertThat(reason(parse("+14155550123", "x".repeat(101))))
        .isEqualTo("first_name is longer than 100 characters");
    assertThat(reason(parse("+14155550123", "", "", "", "", "", "y".repeat(1001))))
        .isEqualTo("appointment is longer than 1000 characters");
    assertThat(reason(parse("+14155550123", "", "", "", "", "", "", "extra")))
        .isEqualTo("has 8 fields where the header has 7");
  }

  @Test
  void aRowWithFewerFieldsThanTheHeaderReadsTheMissingOnesAsEmpty() {
    NewLead lead = lead(parse("+14155550123", "Ada"));
    assertThat(lead.lastName()).isNull();
    assertThat(lead.variables()).isEmpty();
  }

  @Test
  void consentAtTakesADateTimeWithItsOffset() {
    NewLead lead = lead(parse("+14155550123", "", "", "", "", "2026-03-01T14:30:00-05:00"));
    assertThat(lead.consentAt()).isEqualTo(Instant.parse("2026-03-01T19:30:00Z"));
  }
}
