package io.parley.compliance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.compliance.GateDecision.Allowed;
import io.parley.compliance.GateDecision.Refused;
import io.parley.compliance.GateDecision.Rule;
import io.parley.shared.InvalidInputException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;

class ComplianceGateTest {

  static final UUID ORG = UUID.randomUUID();
  static final UUID CAMPAIGN = UUID.randomUUID();
  // New York: one zone, with a daylight-saving change on 2026-03-08 at 07:00 UTC.
  static final String NEW_YORK = "+12125550123";
  static final Instant NOON_NEW_YORK = Instant.parse("2026-06-10T16:00:00Z");

  final Set<String> blocked = new HashSet<>();
  final Set<String> campaignBlocked = new HashSet<>();
  int recentCount;
  Instant firstRecent;
  RuntimeException dncFailure;
  RegistryLayer.Verdict registry = new RegistryLayer.Clear();
  RuntimeException registryFailure;
  final java.util.List<String> registryAsked = new java.util.ArrayList<>();

  ComplianceGate gate(Instant now) {
    Clock clock = Clock.fixed(now, ZoneOffset.UTC);
    DoNotCallList dnc =
        new DoNotCallList() {
          @Override
          public boolean isBlocked(UUID organisationId, String phoneNumber) {
            if (dncFailure != null) {
              throw dncFailure;
            }
            return blocked.contains(phoneNumber);
          }

          @Override
          public Optional<DncEntry> find(UUID organisationId, String phoneNumber) {
            return Optional.empty();
          }

          @Override
          public DncAddition add(
              UUID organisationId,
              String phoneNumber,
              DncSource source,
              String reason,
              AddedBy addedBy) {
            throw new UnsupportedOperationException();
          }

          @Override
          public Optional<DncEntry> removeTextOptOut(
              UUID organisationId, String phoneNumber, String reason, UUID messageId) {
            throw new UnsupportedOperationException();
          }
        };
    RecentDials recent =
        new RecentDials() {
          @Override
          public int count(UUID organisationId, String phoneNumber, Instant since) {
            return recentCount;
          }

          @Override
          public Optional<Instant> first(UUID organisationId, String phoneNumber, Instant since) {
            return Optional.ofNullable(firstRecent);
          }
        };
    StaticListableBeanFactory clocks = new StaticListableBeanFactory();
    clocks.addBean("clock", clock);
    return new ComplianceGate(
        dnc,
        (organisationId, campaignId, phoneNumber) -> campaignBlocked.contains(phoneNumber),
        (organisationId, phoneNumber) -> {
          registryAsked.add(phoneNumber);
          if (registryFailure != null) {
            throw registryFailure;
          }
          return registry;
        },
        new CallingWindow(WindowHours.parse("08:00-21:00"), clock),
        recent,
        new GateProperties(3),
        clocks.getBeanProvider(Clock.class));
  }

  static DialCheck lead(
      boolean consentRequired, String consentSource, Instant consentAt, int attempts) {
    return new DialCheck(
        ORG,
        CAMPAIGN,
        NEW_YORK,
        "America/New_York",
        consentRequired,
        consentSource,
        consentAt,
        attempts,
        3,
        null,
        false);
  }

  @Test
  void aLeadThatPassesEveryRuleIsAllowed() {
    assertThat(gate(NOON_NEW_YORK).check(lead(true, "web form", NOON_NEW_YORK, 0)))
        .isInstanceOf(Allowed.class);
  }

  @Test
  void theDoNotCallListRefusesFirstAndWaitingDoesNotHelp() {
    blocked.add(NEW_YORK);
    recentCount = 5;
    Refused refused = (Refused) gate(NOON_NEW_YORK).check(lead(true, null, null, 3));
    assertThat(refused.rule()).isEqualTo(Rule.DO_NOT_CALL);
    assertThat(refused.retryAt()).isNull();
  }

  @Test
  void theCampaignsOwnListRefusesItsDialsButNotAManualCall() {
    campaignBlocked.add(NEW_YORK);
    Refused refused = (Refused) gate(NOON_NEW_YORK).check(lead(false, null, null, 0));
    assertThat(refused.rule()).isEqualTo(Rule.DO_NOT_CALL);
    assertThat(refused.reason()).contains("campaign's do-not-call list");
    assertThat(gate(NOON_NEW_YORK).check(DialCheck.manual(ORG, NEW_YORK, null)))
        .isInstanceOf(Allowed.class);
  }

  @Test
  void consentIsRequiredOnlyWhenThePurposeNeedsIt() {
    assertThat(((Refused) gate(NOON_NEW_YORK).check(lead(true, "web form", null, 0))).rule())
        .isEqualTo(Rule.CONSENT_MISSING);
    assertThat(((Refused) gate(NOON_NEW_YORK).check(lead(true, " ", NOON_NEW_YORK, 0))).rule())
        .isEqualTo(Rule.CONSENT_MISSING);
    assertThat(gate(NOON_NEW_YORK).check(lead(false, null, null, 0))).isInstanceOf(Allowed.class);
  }

  @Test
  void aLeadWithEveryAttemptUsedIsRefused() {
    assertThat(((Refused) gate(NOON_NEW_YORK).check(lead(false, null, null, 3))).rule())
        .isEqualTo(Rule.ATTEMPTS_USED);
    assertThat(gate(NOON_NEW_YORK).check(lead(false, null, null, 2))).isInstanceOf(Allowed.class);
  }

  @Test
  void theThirdCallInADayIsTheLastAndTheNextIsAllowedOnceTheFirstIs24HoursOld() {
    recentCount = 2;
    assertThat(gate(NOON_NEW_YORK).check(DialCheck.manual(ORG, NEW_YORK, null)))
        .isInstanceOf(Allowed.class);
    recentCount = 3;
    firstRecent = NOON_NEW_YORK.minus(Duration.ofHours(5));
    Refused refused = (Refused) gate(NOON_NEW_YORK).check(DialCheck.manual(ORG, NEW_YORK, null));
    assertThat(refused.rule()).isEqualTo(Rule.NUMBER_CAP);
    assertThat(refused.retryAt()).isEqualTo(firstRecent.plus(Duration.ofHours(24)));
    assertThat(refused.reason()).contains("3 times in the last 24 hours");
  }

  @Test
  void aTextMeetsTheDoNotCallListAndTheWindowButNotTheCallCap() {
    recentCount = 3;
    firstRecent = NOON_NEW_YORK.minus(Duration.ofHours(5));
    assertThat(gate(NOON_NEW_YORK).checkText(ORG, NEW_YORK, null)).isInstanceOf(Allowed.class);
    Refused night =
        (Refused) gate(NOON_NEW_YORK.plus(Duration.ofHours(12))).checkText(ORG, NEW_YORK, null);
    assertThat(night.rule()).isEqualTo(Rule.OUTSIDE_WINDOW);
    assertThat(night.retryAt()).isNotNull();
    blocked.add(NEW_YORK);
    assertThat(((Refused) gate(NOON_NEW_YORK).checkText(ORG, NEW_YORK, null)).rule())
        .isEqualTo(Rule.DO_NOT_CALL);
  }

  @Test
  void outsideTheWindowTheLeadIsToldWhenItOpensAcrossADaylightSavingChange() {
    // 2026-03-08 11:30 UTC is 07:30 in New York (EDT since 07:00 UTC): too early. The window opens
    // at 08:00 EDT, which is 12:00 UTC, not 13:00 UTC as it would have been the day before.
    Refused refused =
        (Refused) gate(Instant.parse("2026-03-08T11:30:00Z")).check(lead(false, null, null, 0));
    assertThat(refused.rule()).isEqualTo(Rule.OUTSIDE_WINDOW);
    assertThat(refused.retryAt()).isEqualTo(Instant.parse("2026-03-08T12:00:00Z"));
    assertThat(refused.window()).isNotNull();
    Refused dayBefore =
        (Refused) gate(Instant.parse("2026-03-07T12:30:00Z")).check(lead(false, null, null, 0));
    assertThat(dayBefore.retryAt()).isEqualTo(Instant.parse("2026-03-07T13:00:00Z"));
  }

  @Test
  void theWindowClosingRefusesTheSameLeadAMinuteLater() {
    // 20:59 and 21:00 in New York (summer: UTC-4).
    assertThat(gate(Instant.parse("2026-06-11T00:59:00Z")).check(lead(false, null, null, 0)))
        .isInstanceOf(Allowed.class);
    Refused refused =
        (Refused) gate(Instant.parse("2026-06-11T01:00:00Z")).check(lead(false, null, null, 0));
    assertThat(refused.rule()).isEqualTo(Rule.OUTSIDE_WINDOW);
    assertThat(refused.retryAt()).isEqualTo(Instant.parse("2026-06-11T12:00:00Z"));
  }

  @Test
  void aLeadsOwnZoneNarrowsTheWindowOfItsNumber() {
    // 09:00 in New York is 06:00 in Los Angeles: the file says the lead lives there.
    DialCheck inLosAngeles =
        new DialCheck(
            ORG, CAMPAIGN, NEW_YORK, "America/Los_Angeles", false, null, null, 0, 3, null, false);
    assertThat(((Refused) gate(Instant.parse("2026-06-10T13:00:00Z")).check(inLosAngeles)).rule())
        .isEqualTo(Rule.OUTSIDE_WINDOW);
  }

  @Test
  void aCheckThatCannotBeMadeRefusesTheDial() {
    dncFailure = new org.springframework.dao.DataAccessResourceFailureException("database down");
    Refused refused = (Refused) gate(NOON_NEW_YORK).check(lead(false, null, null, 0));
    assertThat(refused.rule()).isEqualTo(Rule.CHECK_FAILED);
    assertThat(refused.retryAt()).isNull();
  }

  // --- the registry lists (the third layer, telemarketing only) ---

  static DialCheck telemarketing(String consentSource, Instant consentAt) {
    return new DialCheck(
        ORG,
        CAMPAIGN,
        NEW_YORK,
        "America/New_York",
        true,
        consentSource,
        consentAt,
        0,
        3,
        null,
        true);
  }

  @Test
  void aTelemarketingDialToANumberOnARegistryListIsRefusedEvenWithConsent() {
    registry = new RegistryLayer.Listed("US national", java.time.LocalDate.parse("2026-06-01"));
    Refused refused = (Refused) gate(NOON_NEW_YORK).check(telemarketing("web form", NOON_NEW_YORK));
    assertThat(refused.rule()).isEqualTo(Rule.REGISTRY_DNC);
    assertThat(refused.reason()).contains("US national").contains("2026-06-01");
    assertThat(refused.retryAt()).isNull();
  }

  @Test
  void aTelemarketingDialWithoutAFreshCopyIsRefusedWithItsOwnRule() {
    registry = new RegistryLayer.Missing(212, "US");
    Refused missing = (Refused) gate(NOON_NEW_YORK).check(telemarketing("web form", NOON_NEW_YORK));
    assertThat(missing.rule()).isEqualTo(Rule.REGISTRY_MISSING);
    assertThat(missing.reason()).contains("area code 212").contains("PARLEY_DNC_REGISTRY_REGIONS");

    registry =
        new RegistryLayer.Stale(
            "US national", 212, java.time.LocalDate.parse("2026-05-01"), 40, 31);
    Refused stale = (Refused) gate(NOON_NEW_YORK).check(telemarketing("web form", NOON_NEW_YORK));
    assertThat(stale.rule()).isEqualTo(Rule.REGISTRY_STALE);
    assertThat(stale.reason())
        .contains("2026-05-01")
        .contains("40 days")
        .contains("PARLEY_DNC_REGISTRY_MAX_AGE");
  }

  @Test
  void informationalAndManualCallsAreNotCheckedAgainstTheRegistry() {
    registry = new RegistryLayer.Listed("US national", java.time.LocalDate.parse("2026-06-01"));
    assertThat(gate(NOON_NEW_YORK).check(lead(false, null, null, 0))).isInstanceOf(Allowed.class);
    assertThat(gate(NOON_NEW_YORK).check(DialCheck.manual(ORG, NEW_YORK, null)))
        .isInstanceOf(Allowed.class);
    assertThat(registryAsked).isEmpty();
  }

  @Test
  void theCompanyListComesBeforeTheRegistryAndARegistryFailureRefuses() {
    blocked.add(NEW_YORK);
    registry = new RegistryLayer.Listed("US national", java.time.LocalDate.parse("2026-06-01"));
    assertThat(
            ((Refused) gate(NOON_NEW_YORK).check(telemarketing("web form", NOON_NEW_YORK))).rule())
        .isEqualTo(Rule.DO_NOT_CALL);
    blocked.clear();
    registryFailure = new org.springframework.dao.DataAccessResourceFailureException("down");
    assertThat(
            ((Refused) gate(NOON_NEW_YORK).check(telemarketing("web form", NOON_NEW_YORK))).rule())
        .isEqualTo(Rule.CHECK_FAILED);
  }

  @Test
  void aMalformedNumberIsTheCallersMistakeNotARefusal() {
    assertThatThrownBy(() -> gate(NOON_NEW_YORK).check(DialCheck.manual(ORG, "12345", null)))
        .isInstanceOf(InvalidInputException.class);
  }

  // --- a campaign's own hours ---

  // Miami: the geocoder places 305 in Florida.
  static final String MIAMI = "+13055550123";

  static DialCheck withHours(String number, CampaignHours hours) {
    return new DialCheck(ORG, CAMPAIGN, number, null, false, null, null, 0, 3, hours, false);
  }

  static CampaignHours hours(
      java.util.Map<java.time.DayOfWeek, WindowHours> days,
      java.util.Set<java.time.DayOfWeek> closed,
      java.util.Map<String, WindowHours> states,
      java.util.Set<java.time.LocalDate> holidays) {
    return new CampaignHours(days, closed, states, holidays);
  }

  @Test
  void aCallbackTimeIsKeptInsideTheHoursAndMovedToTheFirstAllowedTimeOutsideThem() {
    // Whatever the clock says: the search starts at the time asked for.
    ComplianceGate gate = gate(NOON_NEW_YORK);
    Instant friday3pm = Instant.parse("2026-06-12T19:00:00Z");
    assertThat(gate.firstAllowedAt(NEW_YORK, null, null, friday3pm)).contains(friday3pm);
    // 22:30 on Friday: 08:00 on Saturday.
    assertThat(gate.firstAllowedAt(NEW_YORK, null, null, Instant.parse("2026-06-13T02:30:00Z")))
        .contains(Instant.parse("2026-06-13T12:00:00Z"));
    // With Sundays closed and Monday a holiday, Saturday 22:30 moves to Tuesday 08:00.
    CampaignHours rules =
        hours(
            java.util.Map.of(),
            java.util.Set.of(java.time.DayOfWeek.SUNDAY),
            java.util.Map.of(),
            java.util.Set.of(java.time.LocalDate.parse("2026-06-15")));
    assertThat(gate.firstAllowedAt(NEW_YORK, null, rules, Instant.parse("2026-06-14T02:30:00Z")))
        .contains(Instant.parse("2026-06-16T12:00:00Z"));
    // The lead's own zone narrows it: 09:00 in New York is 06:00 in Los Angeles.
    assertThat(
            gate.firstAllowedAt(
                NEW_YORK, "America/Los_Angeles", null, Instant.parse("2026-06-12T13:00:00Z")))
        .contains(Instant.parse("2026-06-12T15:00:00Z"));
    // No zone at all: nothing to place it in.
    assertThat(gate.firstAllowedAt("+80012345678", null, null, friday3pm)).isEmpty();
  }

  @Test
  void aClosedDayAndAHolidayRefuseUntilTheNextDayThatCalls() {
    // Sunday 2026-06-14, noon in New York; Sundays closed and Monday the 15th a holiday.
    CampaignHours rules =
        hours(
            java.util.Map.of(),
            java.util.Set.of(java.time.DayOfWeek.SUNDAY),
            java.util.Map.of(),
            java.util.Set.of(java.time.LocalDate.parse("2026-06-15")));
    Refused sunday =
        (Refused) gate(Instant.parse("2026-06-14T16:00:00Z")).check(withHours(NEW_YORK, rules));
    assertThat(sunday.rule()).isEqualTo(Rule.OUTSIDE_WINDOW);
    assertThat(sunday.reason()).contains("Sunday").contains("does not call");
    // Tuesday 08:00 in New York.
    assertThat(sunday.retryAt()).isEqualTo(Instant.parse("2026-06-16T12:00:00Z"));
    Refused holiday =
        (Refused) gate(Instant.parse("2026-06-15T16:00:00Z")).check(withHours(NEW_YORK, rules));
    assertThat(holiday.reason()).contains("holiday");
    assertThat(gate(Instant.parse("2026-06-16T16:00:00Z")).check(withHours(NEW_YORK, rules)))
        .isInstanceOf(Allowed.class);
  }

  @Test
  void aWeekdaysHoursNarrowTheGlobalWindowAndNeverWidenIt() {
    // Saturdays 10:00-14:00; 2026-06-13 is a Saturday.
    CampaignHours rules =
        hours(
            java.util.Map.of(java.time.DayOfWeek.SATURDAY, WindowHours.parse("10:00-14:00")),
            java.util.Set.of(),
            java.util.Map.of(),
            java.util.Set.of());
    Refused early =
        (Refused) gate(Instant.parse("2026-06-13T13:00:00Z")).check(withHours(NEW_YORK, rules));
    assertThat(early.reason()).contains("09:00 on Saturday").contains("10:00-14:00");
    assertThat(early.retryAt()).isEqualTo(Instant.parse("2026-06-13T14:00:00Z"));
    assertThat(gate(Instant.parse("2026-06-13T17:00:00Z")).check(withHours(NEW_YORK, rules)))
        .isInstanceOf(Allowed.class);
    // 14:30 is past the Saturday hours: next is Sunday, which keeps the global 08:00.
    assertThat(
            ((Refused)
                    gate(Instant.parse("2026-06-13T18:30:00Z")).check(withHours(NEW_YORK, rules)))
                .retryAt())
        .isEqualTo(Instant.parse("2026-06-14T12:00:00Z"));
    // Hours wider than the global window do not open it: 07:00 stays refused.
    CampaignHours wide =
        hours(
            java.util.Map.of(java.time.DayOfWeek.SATURDAY, WindowHours.parse("06:00-23:00")),
            java.util.Set.of(),
            java.util.Map.of(),
            java.util.Set.of());
    assertThat(gate(Instant.parse("2026-06-13T11:00:00Z")).check(withHours(NEW_YORK, wide)))
        .isInstanceOf(Refused.class);
  }

  @Test
  void aStatesHoursApplyToItsNumbersOnly() {
    CampaignHours florida =
        hours(
            java.util.Map.of(),
            java.util.Set.of(),
            java.util.Map.of("FL", WindowHours.parse("08:00-20:00")),
            java.util.Set.of());
    assertThat(UsStates.of(MIAMI)).contains("FL");
    assertThat(UsStates.of(NEW_YORK)).contains("NY");
    assertThat(UsStates.of("+18005550123")).isEmpty();
    // 20:30 in New York and Miami (both UTC-4 in June): Florida's 20:00 has passed.
    Instant evening = Instant.parse("2026-06-11T00:30:00Z");
    Refused miami = (Refused) gate(evening).check(withHours(MIAMI, florida));
    assertThat(miami.reason()).contains("FL").contains("08:00-20:00");
    assertThat(miami.retryAt()).isEqualTo(Instant.parse("2026-06-11T12:00:00Z"));
    assertThat(gate(evening).check(withHours(NEW_YORK, florida))).isInstanceOf(Allowed.class);
  }
}
