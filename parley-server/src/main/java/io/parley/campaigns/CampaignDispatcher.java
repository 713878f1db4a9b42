package io.parley.campaigns;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.parley.calls.CallOutcome;
import io.parley.campaigns.CampaignRepository.Dispatched;
import io.parley.campaigns.LeadClaims.EndedAttempt;
import io.parley.campaigns.LeadClaims.LapsedClaim;
import io.parley.compliance.DialCheck;
import io.parley.compliance.GateDecision;
import io.parley.dialing.CampaignDialing;
import io.parley.dialing.DialPace;
import io.parley.dialing.LeadDial;
import io.parley.dialing.LeadDialResult;
import io.parley.nodes.NodeIdentity;
import io.parley.shared.AuditEvent;
import io.parley.shared.Waiting;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Dials running campaigns. Every node runs one; they share the work through the database alone:
 * leads are claimed in small batches ({@code SKIP LOCKED}, with this node's id and a lease), each
 * claimed lead gets a slot of the shared dial pace (the campaign's and the Twilio account's), and
 * at its slot a virtual thread checks it against the compliance gate and dials it on the manual
 * call's path. Four times a second each node also settles leads whose calls have ended (the
 * campaign's retry policy), returns the claims of nodes that died (their lease ran out), and
 * completes campaigns with nothing left to call.
 *
 * <p>A lead is never dialled twice at once: it is claimed by one node at a time, the dial is
 * skipped if the campaign is no longer running or the claim was lost, and each attempt carries an
 * idempotency key made of the lead and its attempt number, so a lead re-claimed after its node died
 * between writing the attempt and recording it finds that attempt instead of dialling again.
 */
@Component
class CampaignDispatcher implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(CampaignDispatcher.class);

  static final Duration TICK = Duration.ofMillis(250);

  /**
   * Slots are booked about this far ahead and no further: leads are claimed only for the slots of
   * the next second, so a pacing edit (or a pause) counts within a second.
   */
  static final Duration LOOKAHEAD = Duration.ofSeconds(1);

  /**
   * A slot that another node's bookings pushed further than this is not taken: the lead goes back.
   */
  static final Duration MAX_SLOT_WAIT = LOOKAHEAD.multipliedBy(3);

  /** When a compliance check could not be made, the lead is tried again after this long. */
  static final Duration CHECK_FAILED_RETRY = Duration.ofMinutes(1);

  // A lead refused for want of a fresh registry copy is tried again after this (an import takes
  // minutes; a shorter wait would only claim and refuse the same leads over and over).
  static final Duration REGISTRY_RETRY = Duration.ofMinutes(5);

  private final CampaignRepository campaigns;
  private final LeadClaims claims;
  private final CampaignDialing dialing;
  private final DialPace pace;
  private final NodeIdentity node;
  private final ApplicationEventPublisher events;
  private final MeterRegistry meters;
  private final Clock clock;
  private final Duration lease;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final Timer paceWait;
  private final AbandonmentWatch abandonment;
  private final TransactionTemplate transaction;
  private volatile ScheduledExecutorService ticker;
  private volatile ExecutorService dials;

  CampaignDispatcher(
      CampaignRepository campaigns,
      LeadClaims claims,
      CampaignDialing dialing,
      DialPace pace,
      NodeIdentity node,
      ApplicationEventPublisher events,
      MeterRegistry meters,
      DispatcherSettings settings,
      ObjectProvider<Clock> clock,
      PlatformTransactionManager transactions) {
    this.campaigns = campaigns;
    this.transaction = new TransactionTemplate(transactions);
    this.lease = settings.lease();
    this.claims = claims;
    this.dialing = dialing;
    this.pace = pace;
    this.node = node;
    this.events = events;
    this.meters = meters;
    this.clock = clock.getIfUnique(Clock::systemUTC);
    this.abandonment = new AbandonmentWatch(campaigns);
    this.paceWait =
        Timer.builder("parley.campaign.pace.wait")
            .description("How long a claimed lead waited for its dial slot")
            .register(meters);
  }

  @Override
  public void start() {
    dials =
        Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("campaign-dial-", 0).factory());
    ScheduledExecutorService started =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("campaign-dispatcher").daemon().factory());
    started.scheduleWithFixedDelay(
        this::tick, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
    ticker = started;
  }

  @Override
  public void stop() {
    ScheduledExecutorService running = ticker;
    ticker = null;
    if (running != null) {
      running.shutdownNow();
    }
    ExecutorService waiting = dials;
    if (waiting != null) {
      // Dials waiting for their slot are interrupted and put their leads back.
      waiting.shutdownNow();
    }
  }

  @Override
  public boolean isRunning() {
    return ticker != null;
  }

  /** One round over every running campaign; a failure in one never stops the others. */
  void tick() {
    List<Dispatched> running;
    try {
      running = campaigns.dispatched();
    } catch (RuntimeException e) {
      log.warn("Campaign dispatcher could not read the running campaigns: {}", e.toString());
      return;
    }
    for (Dispatched campaign : running) {
      try {
        dispatch(campaign);
      } catch (RuntimeException e) {
        log.warn(
            "Campaign dispatcher failed on campaign {}: {}",
            campaign.campaign().id(),
            e.toString());
      }
    }
  }

  private void dispatch(Dispatched running) {
    Campaign campaign = running.campaign();
    UUID id = campaign.id();
    Instant now = now();
    settleEnded(campaign, now);
    returnLapsed(id, now);
    if (campaign.status() != CampaignStatus.RUNNING) {
      // Paused or cancelled: its calls in progress are settled as they end, nothing new is dialled.
      abandonment.forget(id);
      return;
    }
    if (complete(running, now)) {
      pace.forget(DialPace.Rate.campaign(id, campaign.settings().callsPerSecond()));
      log.info("Campaign {} completed: every lead was called", id);
      return;
    }
    int budget = dialing.freePlaces() - inFlight.get();
    if (budget <= 0) {
      return;
    }
    CampaignSettings settings = campaign.settings();
    DropRate drops = abandonment.rate(id, now);
    DropRate.Control control = drops.control(settings.abandonment());
    if (control == DropRate.Control.PAUSE) {
      pauseForDrops(running, drops, settings.abandonment(), now);
      return;
    }
    DialPace.Rate rate = DialPace.Rate.campaign(id, settings.callsPerSecond());
    pace.ensure(rate);
    if (pace.nextSlot(List.of(rate)).isAfter(now.plus(LOOKAHEAD))) {
      return;
    }
    List<Lead> claimed =
        claims.claim(
            id,
            rate.key(),
            DropRate.concurrency(control, settings.maxConcurrentCalls()),
            Math.min(budget, slotsPerLookahead(settings.callsPerSecond())),
            node.id(),
            now,
            now.plus(lease));
    if (claimed.isEmpty()) {
      return;
    }
    meters.counter("parley.campaign.claims", "campaign", id.toString()).increment(claimed.size());
    for (Lead lead : claimed) {
      Optional<Instant> slot = pace.reserve(List.of(rate), MAX_SLOT_WAIT);
      if (slot.isEmpty()) {
        claims.release(lead.id(), now, "waiting for a dial slot", now());
        continue;
      }
      claims.renew(lead.id(), node.id(), slot.get().plus(lease));
      paceWait.record(Duration.between(now, slot.get()).abs());
      inFlight.incrementAndGet();
      try {
        dials.execute(() -> dialOne(running.organisationId(), id, lead, slot.get()));
      } catch (RuntimeException e) {
        inFlight.decrementAndGet();
        claims.release(lead.id(), now, "the node is stopping", now());
      }
    }
  }

  /**
   * Completes the campaign if nothing is left to call, with its audit entry and event in the same
   * transaction (webhooks write their outbox there).
   */
  private boolean complete(Dispatched running, Instant now) {
    UUID id = running.campaign().id();
    String reason = "every lead was called";
    return Boolean.TRUE.equals(
        transaction.execute(
            status -> {
              if (!campaigns.completeIfDone(id, now)) {
                return false;
              }
              audit(id, "campaign.completed", Map.of("reason", reason));
              events.publishEvent(statusChanged(running, CampaignStatus.COMPLETED, reason, now));
              return true;
            }));
  }

  private void pauseForDrops(
      Dispatched running, DropRate drops, AbandonmentSettings limits, Instant now) {
    UUID id = running.campaign().id();
    String reason = drops.pauseReason(limits);
    if (pause(running.organisationId(), id, reason, now)) {
      abandonment.forget(id);
      meters.counter("parley.campaign.abandonment.pauses", "campaign", id.toString()).increment();
      log.warn("Campaign {} paused: {}", id, reason);
    }
  }

  /**
   * Pauses a running campaign by the dispatcher's own decision, with its audit entry and event in
   * the same transaction; false when it was no longer running.
   */
  private boolean pause(UUID organisationId, UUID campaignId, String reason, Instant now) {
    return Boolean.TRUE.equals(
        transaction.execute(
            status -> {
              if (!campaigns.changeStatus(
                  campaignId, CampaignStatus.RUNNING, CampaignStatus.PAUSED, now)) {
                return false;
              }
              audit(campaignId, "campaign.paused", Map.of("reason", reason));
              String name =
                  campaigns.find(organisationId, campaignId).map(Campaign::name).orElse(null);
              events.publishEvent(
                  new CampaignEvent.StatusChanged(
                      organisationId,
                      campaignId,
                      name,
                      CampaignStatus.RUNNING,
                      CampaignStatus.PAUSED,
                      reason,
                      now));
              return true;
            }));
  }

  private static CampaignEvent statusChanged(
      Dispatched running, CampaignStatus to, String reason, Instant now) {
    Campaign campaign = running.campaign();
    return new CampaignEvent.StatusChanged(
        running.organisationId(),
        campaign.id(),
        campaign.name(),
        CampaignStatus.RUNNING,
        to,
        reason,
        now);
  }

  // How many slots the next second holds at most: the campaign's rate or the account's, whichever
  // is slower, and one at least.
  private int slotsPerLookahead(java.math.BigDecimal campaignRate) {
    java.math.BigDecimal rate = campaignRate.min(pace.accountRate());
    double seconds = LOOKAHEAD.toMillis() / 1000.0;
    return Math.max(1, (int) Math.ceil(rate.doubleValue() * seconds));
  }

  private void settleEnded(Campaign campaign, Instant now) {
    for (EndedAttempt ended : claims.endedAttempts(campaign.id())) {
      LeadSettlement settlement =
          LeadSettlement.after(
              ended.outcome(), ended.status(), ended.attempts(), campaign.settings(), now);
      if (claims.settle(ended.leadId(), ended.callId(), settlement, now)) {
        meters
            .counter(
                "parley.campaign.outcomes",
                "campaign",
                campaign.id().toString(),
                "outcome",
                settlement.lastOutcome())
            .increment();
      }
    }
  }

  private void returnLapsed(UUID campaignId, Instant now) {
    for (LapsedClaim lapsed : claims.lapsed(campaignId, now)) {
      if (lapsed.attemptRows() > lapsed.attempts() && lapsed.newestAttempt() != null) {
        if (claims.adopt(lapsed, now)) {
          log.info(
              "Lead {} adopted call {} that a stopped node placed but never recorded",
              lapsed.leadId(),
              lapsed.newestAttempt());
        }
      } else if (claims.release(lapsed.leadId(), now, "its node stopped before dialling", now)) {
        log.info("Lead {} returned to the pool: its node's claim ran out", lapsed.leadId());
      }
    }
  }

  private void dialOne(UUID organisationId, UUID campaignId, Lead lead, Instant slot) {
    try {
      // Read before the wait, so the slot is followed by no more queries than before: the time
      // between a slot and Twilio's request is what the account's pace is measured on.
      String voicemailRecording = campaigns.voicemailRecordingName(campaignId);
      if (!Waiting.until(clock, slot)) {
        claims.release(lead.id(), now(), "the node is stopping", now());
        return;
      }
      // At the slot, not at the claim: a pause, a cancel or a lost claim stops the dial here.
      Optional<Campaign> current = campaigns.find(organisationId, campaignId);
      if (current.isEmpty() || current.get().status() != CampaignStatus.RUNNING) {
        claims.release(lead.id(), now(), "the campaign is not running", now());
        return;
      }
      Optional<Instant> held = pace.accountHeldUntil();
      if (held.isPresent()) {
        claims.release(lead.id(), held.get(), "Twilio asked the account to slow down (429)", now());
        return;
      }
      if (!claims.renew(lead.id(), node.id(), now().plus(lease))) {
        log.warn("Lead {} lost its claim before its dial; not dialled", lead.id());
        return;
      }
      CampaignSettings settings = current.get().settings();
      LeadDial dial =
          new LeadDial(
              campaignId,
              lead.id(),
              settings.agentId(),
              settings.promptVersion(),
              settings.callerId(),
              lead.phoneNumber(),
              lead.promptVariables(),
              settings.amdMode(),
              settings.ringTimeoutSeconds(),
              new DialCheck(
                  organisationId,
                  campaignId,
                  lead.phoneNumber(),
                  lead.timeZone(),
                  settings.requireConsent(),
                  lead.consentSource(),
                  lead.consentAt(),
                  lead.attempts(),
                  lead.attemptCap(settings.maxAttempts()),
                  settings.hours(),
                  settings.purpose() == CampaignPurpose.TELEMARKETING),
              "lead-" + lead.id() + "-" + (lead.attempts() + 1),
              settings.abandonment().safeHarbourMessage(),
              settings.voicemail() == null ? null : settings.voicemail().message(),
              voicemailRecording);
      LeadDialResult result = dialing.dial(organisationId, dial);
      count(campaignId, result);
      apply(organisationId, campaignId, lead, result);
    } catch (RuntimeException e) {
      log.warn("Dial of lead {} failed: {}", lead.id(), e.toString());
      claims.release(lead.id(), now(), "the dial failed: " + e.getClass().getSimpleName(), now());
    } finally {
      inFlight.decrementAndGet();
    }
  }

  private void apply(UUID organisationId, UUID campaignId, Lead lead, LeadDialResult result) {
    Instant now = now();
    switch (result) {
      case LeadDialResult.Placed placed -> {
        if (!claims.attach(lead.id(), placed.callId(), now)) {
          log.error(
              "Lead {} was dialled (call {}) after losing its claim", lead.id(), placed.callId());
        }
      }
      case LeadDialResult.Refused refused ->
          claims.settle(lead.id(), null, refusal(refused.refusal(), now), now);
      case LeadDialResult.NotNow notNow -> claims.release(lead.id(), now, notNow.reason(), now);
      case LeadDialResult.Unusable unusable ->
          claims.settle(
              lead.id(),
              null,
              new LeadSettlement(LeadStatus.HELD, lead.lastOutcome(), unusable.reason(), null),
              now);
      case LeadDialResult.Misconfigured misconfigured -> {
        claims.release(lead.id(), now, misconfigured.reason(), now);
        if (pause(organisationId, campaignId, misconfigured.reason(), now)) {
          log.warn("Campaign {} paused: {}", campaignId, misconfigured.reason());
        }
      }
      case LeadDialResult.Failed failed -> {
        claims.attach(lead.id(), failed.callId(), now);
        if (failed.retryAfter() != null) {
          // Twilio asked the account to slow down (the dialer has held every node's dials): this
          // lead rang nobody and is tried again when the hold ends, not after the failed delay.
          claims.settle(
              lead.id(),
              failed.callId(),
              new LeadSettlement(
                  LeadStatus.RETRY_AT,
                  CallOutcome.FAILED.wire(),
                  "Twilio answered 429 (too many requests)",
                  failed.retryAfter()),
              now);
        } else if (failed.invalidNumber()) {
          claims.settle(
              lead.id(),
              failed.callId(),
              new LeadSettlement(
                  LeadStatus.DONE,
                  CallOutcome.INVALID_NUMBER.wire(),
                  "Twilio cannot call this number: " + failed.reason(),
                  null),
              now);
        }
        // Otherwise the attempt's record is closed as failed, and the next sweep applies the
        // campaign's retry rule for failed calls.
      }
    }
  }

  /** Where a lead goes when the gate refused it; nothing was dialled, so no attempt is counted. */
  static LeadSettlement refusal(GateDecision.Refused refused, Instant now) {
    String reason = refused.reason();
    return switch (refused.rule()) {
      case DO_NOT_CALL, REGISTRY_DNC ->
          new LeadSettlement(LeadStatus.DNC, CallOutcome.DNC_BLOCKED.wire(), reason, null);
      // No registry copy can vouch for the number until someone imports one: the lead waits.
      case REGISTRY_MISSING, REGISTRY_STALE ->
          new LeadSettlement(LeadStatus.RETRY_AT, null, reason, now.plus(REGISTRY_RETRY));
      case CONSENT_MISSING ->
          new LeadSettlement(LeadStatus.HELD, CallOutcome.CONSENT_MISSING.wire(), reason, null);
      case ATTEMPTS_USED -> new LeadSettlement(LeadStatus.EXHAUSTED, null, reason, null);
      case ZONE_UNKNOWN -> new LeadSettlement(LeadStatus.HELD, null, reason, null);
      case NUMBER_CAP ->
          new LeadSettlement(
              LeadStatus.RETRY_AT,
              CallOutcome.NUMBER_CAP_BLOCKED.wire(),
              reason,
              refused.retryAt());
      case OUTSIDE_WINDOW ->
          refused.retryAt() == null
              ? new LeadSettlement(LeadStatus.HELD, CallOutcome.WINDOW_BLOCKED.wire(), reason, null)
              : new LeadSettlement(
                  LeadStatus.RETRY_AT,
                  CallOutcome.WINDOW_BLOCKED.wire(),
                  reason,
                  refused.retryAt());
      case CHECK_FAILED ->
          new LeadSettlement(LeadStatus.RETRY_AT, null, reason, now.plus(CHECK_FAILED_RETRY));
    };
  }

  private void count(UUID campaignId, LeadDialResult result) {
    String kind =
        switch (result) {
          case LeadDialResult.Placed p -> "placed";
          case LeadDialResult.Refused r -> "refused";
          case LeadDialResult.NotNow n -> "not_now";
          case LeadDialResult.Unusable u -> "unusable";
          case LeadDialResult.Misconfigured m -> "misconfigured";
          case LeadDialResult.Failed f -> "failed";
        };
    meters
        .counter("parley.campaign.dials", "campaign", campaignId.toString(), "result", kind)
        .increment();
    if (result instanceof LeadDialResult.Refused refused) {
      meters
          .counter(
              "parley.campaign.refusals",
              "campaign",
              campaignId.toString(),
              "rule",
              refused.refusal().rule().wire())
          .increment();
    }
  }

  private void audit(UUID campaignId, String action, Map<String, Object> details) {
    events.publishEvent(
        new AuditEvent(null, "system", action, "campaign", campaignId.toString(), details));
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }
}
