package io.parley.compliance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.compliance.CallingDecision.Verdict;
import io.parley.compliance.CallingDecision.ZoneSource;
import io.parley.shared.InvalidInputException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class CallingWindowTest {

  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
  private static final String NY = "America/New_York";
  private static final String NYC_NUMBER = "+12125550123";

  private static CallingWindow at(String instant) {
    return at(instant, "08:00-21:00");
  }

  private static CallingWindow at(String instant, String window) {
    return new CallingWindow(
        WindowHours.parse(window), Clock.fixed(Instant.parse(instant), ZoneOffset.UTC));
  }

  @Test
  void allowsInsideTheWindowInTheNamedZone() {
    CallingDecision decision = at("2026-06-15T14:00:00Z").check(NYC_NUMBER, NY);

    assertThat(decision.allowed()).isTrue();
    assertThat(decision.verdict()).isEqualTo(Verdict.ALLOWED);
    assertThat(decision.zoneSource()).isEqualTo(ZoneSource.PHONE_NUMBER_AND_REQUEST);
    assertThat(decision.zone()).isEqualTo(NEW_YORK);
    assertThat(decision.zonesChecked()).containsExactly(NEW_YORK);
    assertThat(decision.localTime()).isEqualTo(LocalDateTime.parse("2026-06-15T10:00"));
    assertThat(decision.nextAllowedAt()).isEqualTo(Instant.parse("2026-06-15T14:00:00Z"));
    assertThat(decision.window()).isEqualTo("08:00-21:00");
    assertThat(decision.reason()).contains("10:00 in America/New_York is inside");
  }

  @Test
  void aNamedZoneNarrowsTheWindow() {
    // 14:00Z is 10:00 in New York but 19:30 in Kolkata and 23:00 in Tokyo.
    CallingDecision decision = at("2026-06-15T14:00:00Z").check(NYC_NUMBER, "Asia/Tokyo");

    assertThat(decision.allowed()).isFalse();
    assertThat(decision.zoneSource()).isEqualTo(ZoneSource.PHONE_NUMBER_AND_REQUEST);
    assertThat(decision.zonesChecked()).containsExactly(NEW_YORK, ZoneId.of("Asia/Tokyo"));
    assertThat(decision.zone()).isEqualTo(ZoneId.of("Asia/Tokyo"));
    assertThat(decision.reason())
        .contains("23:00 in Asia/Tokyo is outside")
        .contains("the number's and the one requested");
    assertThat(at("2026-06-15T14:00:00Z").check("+919876543210", NY).allowed()).isTrue();
  }

  @Test
  void aNamedZoneCannotWidenTheWindow() {
    // A Los Angeles number at 10:10Z is at 03:10 local time, whatever the request says (15:40 in
    // Kolkata): the number's own zone still refuses, and says when it opens.
    CallingDecision decision = at("2026-06-15T10:10:00Z").check("+14155550123", "Asia/Kolkata");

    assertThat(decision.allowed()).isFalse();
    assertThat(decision.verdict()).isEqualTo(Verdict.OUTSIDE_WINDOW);
    assertThat(decision.zoneSource()).isEqualTo(ZoneSource.PHONE_NUMBER_AND_REQUEST);
    assertThat(decision.zonesChecked())
        .containsExactly(ZoneId.of("America/Los_Angeles"), ZoneId.of("Asia/Kolkata"));
    assertThat(decision.zone()).isEqualTo(ZoneId.of("America/Los_Angeles"));
    assertThat(decision.localTime()).isEqualTo(LocalDateTime.parse("2026-06-15T03:10"));
    // 08:00 in Los Angeles (15:00Z) is 20:30 in Kolkata: both inside.
    assertThat(decision.nextAllowedAt()).isEqualTo(Instant.parse("2026-06-15T15:00:00Z"));
  }

  @Test
  void startIsInclusiveAndEndIsExclusive() {
    // Summer: New York is UTC-4.
    assertThat(at("2026-06-15T12:00:00Z").check(NYC_NUMBER, NY).allowed()).isTrue();
    assertThat(at("2026-06-15T11:59:59Z").check(NYC_NUMBER, NY).allowed()).isFalse();
    assertThat(at("2026-06-16T00:59:59Z").check(NYC_NUMBER, NY).allowed()).isTrue();
    assertThat(at("2026-06-16T01:00:00Z").check(NYC_NUMBER, NY).allowed()).isFalse();
  }

  @Test
  void beforeTheWindowTheNextChanceIsThisMorning() {
    CallingDecision decision = at("2026-06-15T10:30:00Z").check(NYC_NUMBER, NY);

    assertThat(decision.allowed()).isFalse();
    assertThat(decision.verdict()).isEqualTo(Verdict.OUTSIDE_WINDOW);
    assertThat(decision.localTime()).isEqualTo(LocalDateTime.parse("2026-06-15T06:30"));
    assertThat(decision.nextAllowedAt()).isEqualTo(Instant.parse("2026-06-15T12:00:00Z"));
    assertThat(decision.reason()).contains("06:30 in America/New_York is outside");
  }

  @Test
  void afterTheWindowTheNextChanceIsTomorrowMorning() {
    CallingDecision decision = at("2026-06-16T02:00:00Z").check(NYC_NUMBER, NY);

    assertThat(decision.localTime()).isEqualTo(LocalDateTime.parse("2026-06-15T22:00"));
    assertThat(decision.nextAllowedAt()).isEqualTo(Instant.parse("2026-06-16T12:00:00Z"));
  }

  @Test
  void springForwardUsesDaylightTimeFromTwoInTheMorning() {
    // 2026-03-08 02:00 EST the clocks jump to 03:00 EDT (UTC-4). At 12:30Z it is 08:30 in New
    // York; a fixed UTC-5 offset would wrongly say 07:30.
    CallingDecision morning = at("2026-03-08T12:30:00Z").check(NYC_NUMBER, NY);
    assertThat(morning.allowed()).isTrue();
    assertThat(morning.localTime()).isEqualTo(LocalDateTime.parse("2026-03-08T08:30"));

    CallingDecision early = at("2026-03-08T11:30:00Z").check(NYC_NUMBER, NY);
    assertThat(early.allowed()).isFalse();
    assertThat(early.nextAllowedAt()).isEqualTo(Instant.parse("2026-03-08T12:00:00Z"));
  }

  @Test
  void theShortNightBeforeSpringForwardEndsAnHourEarlierInUtc() {
    // 21:00 EST on March 7 is 02:00Z; the next 08:00 is already EDT, so 12:00Z, not 13:00Z.
    CallingDecision decision = at("2026-03-08T02:00:00Z").check(NYC_NUMBER, NY);

    assertThat(decision.allowed()).isFalse();
    assertThat(decision.localTime()).isEqualTo(LocalDateTime.parse("2026-03-07T21:00"));
    assertThat(decision.nextAllowedAt()).isEqualTo(Instant.parse("2026-03-08T12:00:00Z"));
  }

  @Test
  void fallBackUsesStandardTimeFromTwoInTheMorning() {
    // 2026-11-01 02:00 EDT the clocks fall back to 01:00 EST (UTC-5). At 12:30Z it is 07:30 in
    // New York; daylight time would wrongly say 08:30.
    CallingDecision decision = at("2026-11-01T12:30:00Z").check(NYC_NUMBER, NY);

    assertThat(decision.allowed()).isFalse();
    assertThat(decision.localTime()).isEqualTo(LocalDateTime.parse("2026-11-01T07:30"));
    assertThat(decision.nextAllowedAt()).isEqualTo(Instant.parse("2026-11-01T13:00:00Z"));

    CallingDecision evening = at("2026-11-01T01:00:00Z").check(NYC_NUMBER, NY);
    assertThat(evening.localTime()).isEqualTo(LocalDateTime.parse("2026-10-31T21:00"));
    assertThat(evening.nextAllowedAt()).isEqualTo(Instant.parse("2026-11-01T13:00:00Z"));
  }

  @Test
  void aWindowStartingInsideTheSkippedHourOpensWhenTheClockJumps() {
    // 02:30 does not exist on 2026-03-08 in New York: 01:59:59 EST is followed by 03:00 EDT,
    // which is inside a 02:30-21:00 window. 01:30 EST is 06:30Z; the jump is at 07:00Z.
    CallingDecision decision = at("2026-03-08T06:30:00Z", "02:30-21:00").check(NYC_NUMBER, NY);

    assertThat(decision.allowed()).isFalse();
    assertThat(decision.nextAllowedAt()).isEqualTo(Instant.parse("2026-03-08T07:00:00Z"));
    assertThat(at("2026-03-08T07:00:00Z", "02:30-21:00").check(NYC_NUMBER, NY).allowed()).isTrue();
  }

  @Test
  void aWindowStartingInsideTheRepeatedHourOpensAtItsFirstOccurrence() {
    // 01:30 happens twice on 2026-11-01 in New York: 05:30Z (EDT) and 06:30Z (EST).
    CallingDecision decision = at("2026-11-01T05:00:00Z", "01:30-21:00").check(NYC_NUMBER, NY);

    assertThat(decision.localTime()).isEqualTo(LocalDateTime.parse("2026-11-01T01:00"));
    assertThat(decision.nextAllowedAt()).isEqualTo(Instant.parse("2026-11-01T05:30:00Z"));
  }

  @Test
  void withoutANamedZoneTheNumbersSingleZoneIsUsed() {
    // 415 is San Francisco: 16:30Z in November is 08:30 PST.
    CallingDecision decision = at("2026-11-25T16:30:00Z").check("+14155550123", null);

    assertThat(decision.allowed()).isTrue();
    assertThat(decision.zoneSource()).isEqualTo(ZoneSource.PHONE_NUMBER);
    assertThat(decision.zone()).isEqualTo(ZoneId.of("America/Los_Angeles"));
    assertThat(decision.zonesChecked()).containsExactly(ZoneId.of("America/Los_Angeles"));
    assertThat(at("2026-11-25T15:30:00Z").check("+14155550123", " ").allowed()).isFalse();
  }

  @Test
  void anAmbiguousNumberMustBeInsideTheWindowInEveryZone() {
    // 208 (Idaho) spans Mountain (Boise) and Pacific time. At 15:30Z in November it is 08:30 in
    // Boise but 07:30 in Los Angeles: refused, decided by Los Angeles, open at 16:00Z.
    CallingDecision morning = at("2026-11-25T15:30:00Z").check("+12085550123", null);
    assertThat(morning.allowed()).isFalse();
    assertThat(morning.zonesChecked())
        .containsExactly(ZoneId.of("America/Boise"), ZoneId.of("America/Los_Angeles"));
    assertThat(morning.zone()).isEqualTo(ZoneId.of("America/Los_Angeles"));
    assertThat(morning.localTime()).isEqualTo(LocalDateTime.parse("2026-11-25T07:30"));
    assertThat(morning.nextAllowedAt()).isEqualTo(Instant.parse("2026-11-25T16:00:00Z"));
    assertThat(morning.reason()).contains("every one must be inside the window");

    assertThat(at("2026-11-25T16:00:00Z").check("+12085550123", null).allowed()).isTrue();

    // At 04:30Z it is 20:30 in Los Angeles but 21:30 in Boise: refused by Boise until
    // 08:00 in Los Angeles the next morning.
    CallingDecision evening = at("2026-11-26T04:30:00Z").check("+12085550123", null);
    assertThat(evening.allowed()).isFalse();
    assertThat(evening.zone()).isEqualTo(ZoneId.of("America/Boise"));
    assertThat(evening.nextAllowedAt()).isEqualTo(Instant.parse("2026-11-26T16:00:00Z"));
  }

  @Test
  void aTollFreeNumberIsCallableOnlyWhenItIsDaytimeFromGuamToNewfoundland() {
    // US toll-free numbers map to every NANP zone, from Guam (UTC+10) to Pago Pago (UTC-11).
    // The shared window in November runs from 08:00 in Guam (22:00Z) to 21:00 in St John's
    // (00:30Z, UTC-3:30).
    CallingDecision decision = at("2026-11-25T15:00:00Z").check("+18005550199", null);

    assertThat(decision.allowed()).isFalse();
    assertThat(decision.zonesChecked()).hasSizeGreaterThan(20);
    assertThat(decision.nextAllowedAt()).isEqualTo(Instant.parse("2026-11-25T22:00:00Z"));
    assertThat(at("2026-11-25T22:00:00Z").check("+18005550199", null).allowed()).isTrue();
    assertThat(at("2026-11-26T00:30:00Z").check("+18005550199", null).allowed()).isFalse();
  }

  @Test
  void zonesThatNeverShareTheWindowHaveNoNextChance() {
    CallingDecision decision =
        at("2026-11-25T15:00:00Z", "08:00-09:00").check("+18005550199", null);

    assertThat(decision.allowed()).isFalse();
    assertThat(decision.verdict()).isEqualTo(Verdict.OUTSIDE_WINDOW);
    assertThat(decision.nextAllowedAt()).isNull();
  }

  @Test
  void aNumberWithoutAKnownZoneIsRefusedUntilTheCallerNamesOne() {
    // +800 is a universal international freephone number: no place, no zone.
    CallingDecision decision = at("2026-06-15T14:00:00Z").check("+80012345678", null);

    assertThat(decision.allowed()).isFalse();
    assertThat(decision.verdict()).isEqualTo(Verdict.ZONE_UNKNOWN);
    assertThat(decision.zone()).isNull();
    assertThat(decision.zonesChecked()).isEmpty();
    assertThat(decision.nextAllowedAt()).isNull();
    assertThat(decision.reason()).startsWith("zone unknown").contains("name one");

    CallingDecision named = at("2026-06-15T14:00:00Z").check("+80012345678", NY);
    assertThat(named.allowed()).isTrue();
    assertThat(named.zoneSource()).isEqualTo(ZoneSource.REQUEST);
    assertThat(named.zonesChecked()).containsExactly(NEW_YORK);
  }

  @Test
  void refusesBadNumbersAndZonesNamingTheField() {
    CallingWindow window = at("2026-06-15T14:00:00Z");

    assertThatThrownBy(() -> window.check(NYC_NUMBER, "Mars/Olympus_Mons"))
        .isInstanceOfSatisfying(
            InvalidInputException.class, e -> assertThat(e.fieldErrors()).containsKey("timeZone"));
    assertThatThrownBy(() -> window.check(NYC_NUMBER, "+05:00"))
        .isInstanceOfSatisfying(
            InvalidInputException.class, e -> assertThat(e.fieldErrors()).containsKey("timeZone"));
    for (String bad : new String[] {null, "", "2125550123", "+1212", "+441632960123", "call me"}) {
      assertThatThrownBy(() -> window.check(bad, NY))
          .as(bad)
          .isInstanceOfSatisfying(
              InvalidInputException.class,
              e -> assertThat(e.fieldErrors()).containsKey("phoneNumber"));
    }
  }
}
