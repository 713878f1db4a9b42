package io.parley.compliance;

import io.parley.compliance.GateDecision.Allowed;
import io.parley.compliance.GateDecision.Refused;
import io.parley.compliance.GateDecision.Rule;
import io.parley.shared.InvalidInputException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The one place that decides whether a number may be dialled now: manual calls and campaign dials
 * pass through it at the moment of dialling (never at import: a number may join the do-not-call
 * list, or the window close, in between). The rules run in a fixed order, the ones that waiting
 * cannot cure first, and the first refusal is the answer. Any check that cannot be made (the
 * database is down, the zone is unknown) refuses: the gate fails closed.
 */
@Component
public class ComplianceGate {

  private static final Logger log = LoggerFactory.getLogger(ComplianceGate.class);
  static final Duration CAP_PERIOD = Duration.ofHours(24);
  // How many days ahead the next allowed instant is looked for (a long holiday run, say).
  private static final int SEARCH_DAYS = 14;
  private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm");

  private final DoNotCallList dnc;
  private final CampaignLists campaignLists;
  private final RegistryLayer registries;
  private final CallingWindow window;
  private final RecentDials recent;
  private final int numberDailyCap;
  private final Clock clock;

  @Autowired
  ComplianceGate(
      DoNotCallList dnc,
      CampaignDoNotCall campaignLists,
      RegistryService registries,
      CallingWindow window,
      RecentDials recent,
      GateProperties properties,
      ObjectProvider<Clock> clock) {
    this(dnc, campaignLists::isBlocked, registries, window, recent, properties, clock);
  }

  ComplianceGate(
      DoNotCallList dnc,
      CampaignLists campaignLists,
      RegistryLayer registries,
      CallingWindow window,
      RecentDials recent,
      GateProperties properties,
      ObjectProvider<Clock> clock) {
    this.dnc = dnc;
    this.campaignLists = campaignLists;
    this.registries = registries;
    this.window = window;
    this.recent = recent;
    this.numberDailyCap = properties.numberDailyCap();
    this.clock = clock.getIfUnique(Clock::systemUTC);
  }

  /** The campaign layer of the do-not-call list, as the gate asks it. */
  @FunctionalInterface
  interface CampaignLists {
    boolean isBlocked(UUID organisationId, UUID campaignId, String phoneNumber);
  }

  /** The attempts one number may receive over a rolling 24 hours. */
  public int numberDailyCap() {
    return numberDailyCap;
  }

  /**
   * Checks one dial.
   *
   * @throws InvalidInputException naming {@code phoneNumber} or {@code timeZone} when the request
   *     itself is malformed (that is the caller's mistake, not a rule's refusal)
   */
  public GateDecision check(DialCheck dial) {
    return checked(dial, true);
  }

  /**
   * Checks one text message sent now to {@code phoneNumber}, by hand: texts count as calls under
   * the TCPA, so the rules of a manual call hold (the company-wide do-not-call list, a known zone,
   * the calling window in every zone of the recipient), except the per-number cap, which counts
   * calls and is not spent or checked by texts (a conversation by text is many short replies).
   *
   * @param timeZone the recipient's zone when known from elsewhere, or null
   * @throws InvalidInputException naming {@code phoneNumber} or {@code timeZone} when malformed
   */
  public GateDecision checkText(UUID organisationId, String phoneNumber, String timeZone) {
    return checked(DialCheck.manual(organisationId, phoneNumber, timeZone), false);
  }

  private GateDecision checked(DialCheck dial, boolean callCap) {
    try {
      return decide(dial, callCap);
    } catch (InvalidInputException e) {
      throw e;
    } catch (RuntimeException e) {
      log.warn("Compliance check for a dial failed, so the dial is refused: {}", e.toString());
      return new Refused(
          Rule.CHECK_FAILED,
          "a compliance check could not be made (" + e.getClass().getSimpleName() + ")",
          null,
          null);
    }
  }

  private GateDecision decide(DialCheck dial, boolean callCap) {
    if (dnc.isBlocked(dial.organisationId(), dial.phoneNumber())) {
      return new Refused(
          Rule.DO_NOT_CALL, dial.phoneNumber() + " is on the do-not-call list", null, null);
    }
    if (dial.campaignId() != null
        && campaignLists.isBlocked(dial.organisationId(), dial.campaignId(), dial.phoneNumber())) {
      return new Refused(
          Rule.DO_NOT_CALL,
          dial.phoneNumber() + " is on the campaign's do-not-call list",
          null,
          null);
    }
    if (dial.telemarketing()) {
      Optional<Refused> registry = registryRefusal(dial);
      if (registry.isPresent()) {
        return registry.get();
      }
    }
    if (dial.consentRequired() && (dial.consentAt() == null || blank(dial.consentSource()))) {
      return new Refused(
          Rule.CONSENT_MISSING,
          "this campaign needs the callee's consent (consent_source and consent_at) and none is"
              + " recorded",
          null,
          null);
    }
    if (dial.maxAttempts() != null && dial.attemptsMade() >= dial.maxAttempts()) {
      return new Refused(
          Rule.ATTEMPTS_USED,
          "all " + dial.maxAttempts() + " attempts allowed for this lead were made",
          null,
          null);
    }
    Instant now = clock.instant();
    Instant since = now.minus(CAP_PERIOD);
    int made = callCap ? recent.count(dial.organisationId(), dial.phoneNumber(), since) : 0;
    if (made >= numberDailyCap) {
      Instant first = recent.first(dial.organisationId(), dial.phoneNumber(), since).orElse(now);
      return new Refused(
          Rule.NUMBER_CAP,
          dial.phoneNumber()
              + " was called "
              + made
              + " times in the last 24 hours, the most allowed (PARLEY_NUMBER_DAILY_CAP = "
              + numberDailyCap
              + ")",
          first.plus(CAP_PERIOD),
          null);
    }
    CallingDecision decision = window.check(dial.phoneNumber(), dial.timeZone());
    if (decision.verdict() == CallingDecision.Verdict.ZONE_UNKNOWN) {
      return new Refused(Rule.ZONE_UNKNOWN, decision.reason(), null, decision);
    }
    if (dial.hours() == null) {
      return decision.allowed()
          ? new Allowed(decision)
          : new Refused(Rule.OUTSIDE_WINDOW, decision.reason(), decision.nextAllowedAt(), decision);
    }
    CampaignHours hours = dial.hours();
    String state = UsStates.of(dial.phoneNumber()).orElse(null);
    List<ZoneId> zones = decision.zonesChecked();
    Optional<String> campaignRefusal = campaignRefusal(hours, state, zones, now);
    if (decision.allowed() && campaignRefusal.isEmpty()) {
      return new Allowed(decision);
    }
    return new Refused(
        Rule.OUTSIDE_WINDOW,
        decision.allowed() ? campaignRefusal.get() : decision.reason(),
        nextAllowed(hours, state, zones, now),
        decision);
  }

  /**
   * The first instant at or after {@code from} when the calling window and the campaign's hours
   * allow a call to the number in every one of its zones (the number's and {@code timeZone}, as
   * {@link #check} reads them): where a callback asked for at {@code from} is moved to when that
   * time is outside them. Only the hours: the do-not-call lists, consent and the per-number cap are
   * checked when the call is dialled. Empty when no zone is known or no such instant falls within
   * the search horizon (14 days).
   *
   * @param hours the campaign's own hours, or null for the global window alone
   */
  public Optional<Instant> firstAllowedAt(
      String phoneNumber, String timeZone, CampaignHours hours, Instant from) {
    List<ZoneId> zones = new ArrayList<>(PhoneNumbers.zonesOf(phoneNumber));
    String named = timeZone == null ? "" : timeZone.strip();
    if (ZoneId.getAvailableZoneIds().contains(named) && !zones.contains(ZoneId.of(named))) {
      zones.add(ZoneId.of(named));
    }
    if (zones.isEmpty()) {
      return Optional.empty();
    }
    CampaignHours rules =
        hours != null
            ? hours
            : new CampaignHours(
                java.util.Map.of(), java.util.Set.of(), java.util.Map.of(), java.util.Set.of());
    String state = UsStates.of(phoneNumber).orElse(null);
    return Optional.ofNullable(nextAllowed(rules, state, zones, from));
  }

  /**
   * The third layer, for telemarketing only: the registry lists. A lead's consent record does not
   * exempt it (docs/compliance.md#consent-and-the-registry says why).
   */
  private Optional<Refused> registryRefusal(DialCheck dial) {
    return switch (registries.check(dial.organisationId(), dial.phoneNumber())) {
      case RegistryLayer.Clear clear -> Optional.empty();
      case RegistryLayer.Listed listed ->
          Optional.of(
              new Refused(
                  Rule.REGISTRY_DNC,
                  dial.phoneNumber()
                      + " is on the registry list "
                      + listed.registry()
                      + " (copy of "
                      + listed.asOf()
                      + ")",
                  null,
                  null));
      case RegistryLayer.Missing missing ->
          Optional.of(
              new Refused(
                  Rule.REGISTRY_MISSING,
                  "no national registry copy covers area code "
                      + missing.areaCode()
                      + " ("
                      + missing.region()
                      + " numbers need one for telemarketing, PARLEY_DNC_REGISTRY_REGIONS): import"
                      + " one with PUT /api/dnc/registries/{name}",
                  null,
                  null));
      case RegistryLayer.Stale stale ->
          Optional.of(
              new Refused(
                  Rule.REGISTRY_STALE,
                  "the registry list "
                      + stale.registry()
                      + " copy for area code "
                      + stale.areaCode()
                      + " was downloaded on "
                      + stale.asOf()
                      + ", "
                      + stale.ageDays()
                      + " days ago, more than the "
                      + stale.maxAgeDays()
                      + " allowed (PARLEY_DNC_REGISTRY_MAX_AGE): import a fresh copy",
                  null,
                  null));
    };
  }

  // Why the campaign's own hours refuse now, in the first zone that refuses; empty if none does.
  private static Optional<String> campaignRefusal(
      CampaignHours hours, String state, List<ZoneId> zones, Instant now) {
    for (ZoneId zone : zones) {
      ZonedDateTime local = now.atZone(zone);
      LocalDate date = local.toLocalDate();
      LocalTime time = local.toLocalTime();
      if (hours.allows(state, date, time)) {
        continue;
      }
      String when =
          HH_MM.format(time)
              + " on "
              + date.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH)
              + " "
              + date
              + " in "
              + zone;
      String why;
      if (hours.holidays().contains(date)) {
        why = "a holiday of the campaign";
      } else if (hours.closed().contains(date.getDayOfWeek())) {
        why = "a day the campaign does not call";
      } else if (hours.weekdays().containsKey(date.getDayOfWeek())
          && !hours.weekdays().get(date.getDayOfWeek()).contains(time)) {
        why = "outside the campaign's hours that day, " + hours.weekdays().get(date.getDayOfWeek());
      } else {
        why = "outside the campaign's hours for " + state + ", " + hours.states().get(state);
      }
      return Optional.of(when + " is " + why);
    }
    return Optional.empty();
  }

  /**
   * The first instant within the search horizon when the global window and the campaign's hours
   * allow the call in every zone. It must be the opening of some window in some zone (or now), so
   * only those instants are tried.
   */
  private Instant nextAllowed(CampaignHours hours, String state, List<ZoneId> zones, Instant now) {
    TreeSet<Instant> candidates = new TreeSet<>();
    candidates.add(now);
    for (ZoneId zone : zones) {
      LocalDate today = now.atZone(zone).toLocalDate();
      for (int day = 0; day <= SEARCH_DAYS; day++) {
        LocalDate date = today.plusDays(day);
        List<LocalTime> openings = new ArrayList<>(hours.openings(state, date));
        openings.add(window.hours().start());
        for (LocalTime opening : openings) {
          Instant at = ZonedDateTime.of(date, opening, zone).toInstant();
          if (!at.isBefore(now)) {
            candidates.add(at);
          }
        }
      }
    }
    for (Instant candidate : candidates) {
      boolean allowed =
          zones.stream()
              .allMatch(
                  zone -> {
                    ZonedDateTime local = candidate.atZone(zone);
                    return window.hours().contains(local.toLocalTime())
                        && hours.allows(state, local.toLocalDate(), local.toLocalTime());
                  });
      if (allowed) {
        return candidate;
      }
    }
    return null;
  }

  private static boolean blank(String text) {
    return text == null || text.isBlank();
  }
}
