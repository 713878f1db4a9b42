package io.parley.compliance;

import io.parley.shared.Actor;
import io.parley.shared.AuditEvent;
import io.parley.shared.NotFoundException;
import io.parley.shared.Page;
import io.parley.shared.PageRequest;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * A campaign's own do-not-call list: numbers that campaign must not call (a client's suppression
 * list), on top of the company-wide list every call honours. Entries are kept when removed, like
 * the company's, and every change is audited.
 */
@Service
public class CampaignDoNotCall {

  private final CampaignDncRepository repository;
  private final ApplicationEventPublisher events;
  private final Clock clock;

  CampaignDoNotCall(
      CampaignDncRepository repository,
      ApplicationEventPublisher events,
      ObjectProvider<Clock> clock) {
    this.repository = repository;
    this.events = events;
    this.clock = clock.getIfUnique(Clock::systemUTC);
  }

  /** True when the number is on the company-wide list or on the campaign's. */
  @Transactional(readOnly = true)
  public boolean isBlocked(UUID organisationId, UUID campaignId, String phoneNumber) {
    return repository.isBlocked(
        organisationId, campaignId, PhoneNumbers.canonical(phoneNumber, "phoneNumber"));
  }

  /**
   * Puts a number on the campaign's list; a number already on it keeps its entry ({@code created =
   * false}).
   */
  @Transactional
  public DncAddition add(
      UUID organisationId, UUID campaignId, String phoneNumber, String reason, Actor actor) {
    String number = PhoneNumbers.canonical(phoneNumber, "phoneNumber");
    String why = DncService.reason(reason, "reason");
    Optional<DncEntry> existing = repository.findActive(organisationId, campaignId, number);
    if (existing.isPresent()) {
      return new DncAddition(existing.get(), false);
    }
    DncEntry entry =
        new DncEntry(
            UUID.randomUUID(), number, DncSource.MANUAL, why, null, now(), actor, null, null, null);
    try {
      repository.insert(organisationId, campaignId, entry);
    } catch (DuplicateKeyException e) {
      return new DncAddition(
          repository.findActive(organisationId, campaignId, number).orElseThrow(), false);
    }
    audit(actor, "dnc.added", entry, campaignId, why);
    return new DncAddition(entry, true);
  }

  /**
   * Takes a number off the campaign's list.
   *
   * @throws NotFoundException when the campaign's list does not have it
   */
  @Transactional
  public DncEntry remove(
      UUID organisationId, UUID campaignId, String phoneNumber, String reason, Actor actor) {
    String number = PhoneNumbers.canonical(phoneNumber, "phoneNumber");
    String why = DncService.reason(reason, "reason");
    DncEntry entry =
        repository
            .findActive(organisationId, campaignId, number)
            .orElseThrow(
                () -> new NotFoundException("The campaign's do-not-call list has no " + number));
    Instant now = now();
    repository.remove(entry.id(), actor, why, now);
    audit(actor, "dnc.removed", entry, campaignId, why);
    return DncService.removed(entry, now, actor, why);
  }

  /** The campaign's active entries, by number. */
  @Transactional(readOnly = true)
  public Page<DncEntry> list(UUID organisationId, UUID campaignId, PageRequest page) {
    return new Page<>(
        repository.page(organisationId, campaignId, page),
        page.page(),
        page.size(),
        repository.count(organisationId, campaignId));
  }

  private void audit(Actor actor, String action, DncEntry entry, UUID campaignId, String reason) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("phoneNumber", entry.phoneNumber());
    details.put("campaignId", campaignId.toString());
    if (reason != null) {
      details.put("reason", reason);
    }
    events.publishEvent(
        new AuditEvent(
            actor.userId(), actor.email(), action, "do_not_call", entry.id().toString(), details));
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }
}
