package io.parley.campaigns;

import io.parley.agents.AgentDirectory;
import io.parley.agents.AgentSnapshot;
import io.parley.agents.ToolConfig;
import io.parley.shared.Actor;
import io.parley.shared.AuditEvent;
import io.parley.shared.ConflictException;
import io.parley.shared.InvalidInputException;
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
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Creating, editing and reading campaigns; every change is written and audited together. */
@Service
class CampaignService {

  private final CampaignRepository campaigns;
  private final LeadRepository leads;
  private final LeadCallbacks callbacks;
  private final AgentDirectory agents;
  private final ApplicationEventPublisher events;
  private final Clock clock;

  CampaignService(
      CampaignRepository campaigns,
      LeadRepository leads,
      LeadCallbacks callbacks,
      AgentDirectory agents,
      ApplicationEventPublisher events,
      ObjectProvider<Clock> clock) {
    this.campaigns = campaigns;
    this.leads = leads;
    this.callbacks = callbacks;
    this.agents = agents;
    this.events = events;
    this.clock = clock.getIfUnique(Clock::systemUTC);
  }

  @Transactional
  Campaign create(UUID organisationId, CampaignRequest request, Actor actor) {
    requireAgent(organisationId, request.settings());
    UUID id = UUID.randomUUID();
    campaigns.insert(organisationId, id, request.name(), request.settings(), actor, now());
    audit(actor, "campaign.created", id, request);
    return get(organisationId, id);
  }

  /**
   * Replaces a campaign's name and settings.
   *
   * @throws ConflictException when the campaign has ended
   */
  @Transactional
  Campaign update(UUID organisationId, UUID id, CampaignRequest request, Actor actor) {
    Campaign current = campaigns.lockExisting(organisationId, id);
    if (!current.status().isActive()) {
      throw new ConflictException(
          "The campaign is " + current.status().wire() + "; its settings can no longer change");
    }
    requireAgent(organisationId, request.settings());
    campaigns.update(organisationId, id, request.name(), request.settings(), now());
    audit(actor, "campaign.updated", id, request);
    return get(organisationId, id);
  }

  /** The lifecycle commands and the move each makes. */
  enum Command {
    START(CampaignStatus.DRAFT, CampaignStatus.RUNNING, "campaign.started"),
    PAUSE(CampaignStatus.RUNNING, CampaignStatus.PAUSED, "campaign.paused"),
    RESUME(CampaignStatus.PAUSED, CampaignStatus.RUNNING, "campaign.resumed"),
    // From any active state: null.
    CANCEL(null, CampaignStatus.CANCELLED, "campaign.cancelled");

    final CampaignStatus from;
    final CampaignStatus to;
    final String auditAction;

    Command(CampaignStatus from, CampaignStatus to, String auditAction) {
      this.from = from;
      this.to = to;
      this.auditAction = auditAction;
    }

    String wire() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * Starts, pauses, resumes or cancels a campaign. Starting (and resuming) checks the agent again:
   * a telemarketing campaign needs an agent that says a disclosure first and has the {@code
   * opt_out} tool, and a safe-harbour message. Cancelling works from draft, running or paused;
   * leads being called finish their calls, nothing new is dialled, and every callback is dropped.
   *
   * @throws ConflictException when the campaign is not in a state the command applies to
   */
  @Transactional
  Campaign command(UUID organisationId, UUID id, Command command, Actor actor) {
    Campaign current = campaigns.lockExisting(organisationId, id);
    boolean applies =
        command.from == null ? current.status().isActive() : current.status() == command.from;
    if (!applies) {
      throw new ConflictException(
          "The campaign is "
              + current.status().wire()
              + "; it cannot "
              + command.wire()
              + (command.from == null ? "" : " (only a " + command.from.wire() + " campaign can)"));
    }
    if (command.to == CampaignStatus.RUNNING) {
      requireReadyToDial(organisationId, id, current.settings());
    }
    Map<String, Long> counts = command == Command.START ? campaigns.leadCounts(id) : Map.of();
    if (command == Command.START
        && counts.getOrDefault(LeadStatus.PENDING.wire(), 0L)
                + counts.getOrDefault(LeadStatus.CALLBACK.wire(), 0L)
            == 0) {
      throw new ConflictException(
          "The campaign has no pending leads to call: upload a lead CSV before starting it");
    }
    Instant changedAt = now();
    campaigns.changeStatus(id, current.status(), command.to, changedAt);
    events.publishEvent(
        new CampaignEvent.StatusChanged(
            organisationId, id, current.name(), current.status(), command.to, null, changedAt));
    if (command == Command.CANCEL) {
      // A cancelled campaign calls nobody back: its leads return to where they were.
      callbacks.dropAll(id, now());
    }
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("from", current.status().wire());
    details.put("to", command.to.wire());
    events.publishEvent(
        new AuditEvent(
            actor.userId(),
            actor.email(),
            command.auditAction,
            "campaign",
            id.toString(),
            details));
    return get(organisationId, id);
  }

  private void requireReadyToDial(UUID organisationId, UUID id, CampaignSettings settings) {
    AgentSnapshot agent =
        agents
            .snapshot(organisationId, settings.agentId())
            .orElseThrow(() -> new InvalidInputException("settings.agentId", "names no agent"));
    if (settings.purpose() == CampaignPurpose.TELEMARKETING) {
      Map<String, String> errors = new LinkedHashMap<>();
      String disclosure = agent.config().disclosure();
      if (disclosure == null || disclosure.isBlank()) {
        errors.put(
            "settings.agentId",
            "a telemarketing campaign needs an agent that discloses it is an automated voice"
                + " (the agent's disclosure line is empty)");
      }
      if (agent.config().tools().stream().noneMatch(ToolConfig.OptOut.class::isInstance)) {
        errors.merge(
            "settings.agentId",
            "a telemarketing campaign needs an agent with the opt_out tool, so a callee can ask"
                + " not to be called again",
            (a, b) -> a + "; " + b);
      }
      if (settings.abandonment().safeHarbourMessage() == null
          && !campaigns.hasSafeHarbourAudio(id)) {
        errors.put(
            "settings.abandonment.safeHarbourMessage",
            "a telemarketing campaign needs a safe-harbour message (the seller's name, a call-back"
                + " number and how to opt out), played when the agent cannot speak within 2 s:"
                + " this text, or a recording at /api/campaigns/{id}/safe-harbour-audio");
      }
      if (!errors.isEmpty()) {
        throw new InvalidInputException(errors);
      }
    }
  }

  @Transactional(readOnly = true)
  Campaign get(UUID organisationId, UUID id) {
    return withProgress(campaigns.existing(organisationId, id));
  }

  /**
   * What {@link #get} says about the campaign's progress (status, lead counts, progress), for its
   * live stream; empty when there is no such campaign.
   */
  @Transactional(readOnly = true)
  Optional<CampaignLiveProgress> live(UUID organisationId, UUID id) {
    return campaigns.find(organisationId, id).map(this::withProgress).map(CampaignLiveProgress::of);
  }

  /** Whether the organisation has this campaign. */
  @Transactional(readOnly = true)
  boolean exists(UUID organisationId, UUID id) {
    return campaigns.find(organisationId, id).isPresent();
  }

  private Campaign withProgress(Campaign campaign) {
    Map<String, Long> counts = campaigns.leadCounts(campaign.id());
    return campaign
        .withLeads(counts)
        .withProgress(campaigns.progress(campaign.id(), counts, clock.instant()));
  }

  @Transactional(readOnly = true)
  Page<Campaign> list(UUID organisationId, PageRequest page) {
    return new Page<>(
        campaigns.list(organisationId, page),
        page.page(),
        page.size(),
        campaigns.count(organisationId));
  }

  @Transactional(readOnly = true)
  Page<Lead> leads(UUID organisationId, UUID campaignId, LeadQuery query) {
    campaigns.existing(organisationId, campaignId);
    return leads.list(campaignId, query);
  }

  @Transactional(readOnly = true)
  Lead lead(UUID organisationId, UUID campaignId, UUID leadId) {
    campaigns.existing(organisationId, campaignId);
    return leads
        .find(campaignId, leadId)
        .orElseThrow(() -> new NotFoundException("No lead " + leadId));
  }

  /**
   * Records that {@code actor} is exporting the campaign's leads (with the filters), committed
   * before the export's first byte.
   *
   * @throws NotFoundException when there is no such campaign
   */
  @Transactional
  void auditLeadExport(UUID organisationId, UUID campaignId, LeadQuery query, Actor actor) {
    campaigns.existing(organisationId, campaignId);
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("campaignId", campaignId.toString());
    if (query.status() != null) {
      details.put("status", query.status().wire());
    }
    if (query.phonePrefix() != null) {
      details.put("phone", query.phonePrefix());
    }
    if (query.importId() != null) {
      details.put("importId", query.importId().toString());
    }
    events.publishEvent(
        new AuditEvent(
            actor.userId(),
            actor.email(),
            "campaign.leads_exported",
            "campaign",
            campaignId.toString(),
            details));
  }

  /**
   * Records that {@code actor} is exporting the campaign's results, committed before the export's
   * first byte.
   *
   * @throws NotFoundException when there is no such campaign
   */
  @Transactional
  void auditResultsExport(UUID organisationId, UUID campaignId, Actor actor) {
    campaigns.existing(organisationId, campaignId);
    events.publishEvent(
        new AuditEvent(
            actor.userId(),
            actor.email(),
            "campaign.results_exported",
            "campaign",
            campaignId.toString(),
            Map.of("campaignId", campaignId.toString())));
  }

  private void requireAgent(UUID organisationId, CampaignSettings settings) {
    if (agents.snapshot(organisationId, settings.agentId()).isEmpty()) {
      throw new InvalidInputException("settings.agentId", "names no agent");
    }
  }

  private void audit(Actor actor, String action, UUID id, CampaignRequest request) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("name", request.name());
    details.put("purpose", request.settings().purpose().wire());
    details.put("agentId", request.settings().agentId().toString());
    details.put("maxConcurrentCalls", request.settings().maxConcurrentCalls());
    details.put("callsPerSecond", request.settings().callsPerSecond().toPlainString());
    events.publishEvent(
        new AuditEvent(actor.userId(), actor.email(), action, "campaign", id.toString(), details));
  }

  // Truncated to what both databases store, so a response equals what a later read returns.
  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }
}
