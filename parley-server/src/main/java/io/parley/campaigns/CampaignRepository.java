package io.parley.campaigns;

import io.parley.shared.Actor;
import io.parley.shared.NotFoundException;
import io.parley.shared.PageRequest;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

/** The {@code campaign} table. */
@Repository
class CampaignRepository {

  private static final String COLUMNS =
      "id, name, status, settings, created_at, created_by_email, updated_at";
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final JdbcClient jdbc;

  CampaignRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  void insert(
      UUID organisationId, UUID id, String name, CampaignSettings settings, Actor by, Instant now) {
    jdbc.sql(
            "INSERT INTO campaign (id, organisation_id, name, status, settings, created_at,"
                + " created_by_id, created_by_email, updated_at) VALUES (:id, :org, :name,"
                + " :status, :settings, :now, :byId, :byEmail, :now)")
        .param("id", id)
        .param("org", organisationId)
        .param("name", name)
        .param("status", CampaignStatus.DRAFT.wire())
        .param("settings", JSON.writeValueAsString(settings))
        .param("now", Timestamp.from(now))
        .param("byId", by.userId())
        .param("byEmail", by.email(), Types.VARCHAR)
        .update();
  }

  /** Replaces name and settings; false when no such campaign. */
  boolean update(
      UUID organisationId, UUID id, String name, CampaignSettings settings, Instant now) {
    return jdbc.sql(
                "UPDATE campaign SET name = :name, settings = :settings, updated_at = :now"
                    + " WHERE organisation_id = :org AND id = :id")
            .param("name", name)
            .param("settings", JSON.writeValueAsString(settings))
            .param("now", Timestamp.from(now))
            .param("org", organisationId)
            .param("id", id)
            .update()
        == 1;
  }

  /**
   * The campaign.
   *
   * @throws NotFoundException when the organisation has no such campaign
   */
  Campaign existing(UUID organisationId, UUID id) {
    return find(organisationId, id).orElseThrow(() -> notFound(id));
  }

  /**
   * The campaign, its row locked until the transaction ends.
   *
   * @throws NotFoundException when the organisation has no such campaign
   */
  Campaign lockExisting(UUID organisationId, UUID id) {
    return lock(organisationId, id).orElseThrow(() -> notFound(id));
  }

  private static NotFoundException notFound(UUID id) {
    return new NotFoundException("No campaign " + id);
  }

  Optional<Campaign> find(UUID organisationId, UUID id) {
    return jdbc.sql(
            "SELECT " + COLUMNS + " FROM campaign WHERE organisation_id = :org AND id = :id")
        .param("org", organisationId)
        .param("id", id)
        .query(CampaignRepository::map)
        .optional();
  }

  /**
   * Locks the campaign's row until the transaction ends: lead imports into one campaign take turns,
   * so that checking a number against the campaign's leads and inserting it cannot race.
   */
  Optional<Campaign> lock(UUID organisationId, UUID id) {
    return jdbc.sql(
            "SELECT "
                + COLUMNS
                + " FROM campaign WHERE organisation_id = :org AND id = :id FOR UPDATE")
        .param("org", organisationId)
        .param("id", id)
        .query(CampaignRepository::map)
        .optional();
  }

  List<Campaign> list(UUID organisationId, PageRequest page) {
    return jdbc.sql(
            "SELECT "
                + COLUMNS
                + " FROM campaign WHERE organisation_id = :org ORDER BY created_at DESC, id"
                + " LIMIT :limit OFFSET :offset")
        .param("org", organisationId)
        .param("limit", page.size())
        .param("offset", page.offset())
        .query(CampaignRepository::map)
        .list();
  }

  long count(UUID organisationId) {
    return jdbc.sql("SELECT COUNT(*) FROM campaign WHERE organisation_id = :org")
        .param("org", organisationId)
        .query(Long.class)
        .single();
  }

  /** A campaign and its organisation, as the dispatcher sees it. */
  record Dispatched(UUID organisationId, Campaign campaign) {}

  /**
   * The campaigns a dispatcher looks after, of every organisation: running ones, and paused or
   * cancelled ones that still have leads in {@code dialing} (their calls end and must be settled).
   */
  List<Dispatched> dispatched() {
    return jdbc.sql(
            "SELECT organisation_id, "
                + COLUMNS
                + " FROM campaign c WHERE status = 'running' OR (status IN ('paused', 'cancelled')"
                + " AND EXISTS (SELECT 1 FROM campaign_lead l WHERE l.campaign_id = c.id AND"
                + " l.status = 'dialing')) ORDER BY created_at, id")
        .query(
            (rs, row) ->
                new Dispatched(UUID.fromString(rs.getString("organisation_id")), map(rs, row)))
        .list();
  }

  /** Moves a campaign from one status to another; false when it was not in {@code from}. */
  boolean changeStatus(UUID id, CampaignStatus from, CampaignStatus to, Instant now) {
    return jdbc.sql(
                "UPDATE campaign SET status = :to, updated_at = :now WHERE id = :id AND status ="
                    + " :from")
            .param("to", to.wire())
            .param("now", Timestamp.from(now))
            .param("id", id)
            .param("from", from.wire())
            .update()
        == 1;
  }

  /**
   * Completes a running campaign that has no lead left to call or being called (a callback still to
   * be made counts); false when it has (or is not running). One statement, so a lead imported
   * meanwhile keeps it running.
   */
  boolean completeIfDone(UUID id, Instant now) {
    return jdbc.sql(
                "UPDATE campaign SET status = 'completed', updated_at = :now WHERE id = :id AND"
                    + " status = 'running' AND NOT EXISTS (SELECT 1 FROM campaign_lead l WHERE"
                    + " l.campaign_id = :id AND l.status IN ('pending', 'retry_at', 'callback',"
                    + " 'dialing'))")
            .param("now", Timestamp.from(now))
            .param("id", id)
            .update()
        == 1;
  }

  /** How many leads the campaign has in each status, zeros included. */
  Map<String, Long> leadCounts(UUID campaignId) {
    Map<String, Long> counts = new LinkedHashMap<>();
    for (LeadStatus status : LeadStatus.values()) {
      counts.put(status.wire(), 0L);
    }
    jdbc.sql("SELECT status, COUNT(*) FROM campaign_lead WHERE campaign_id = :id GROUP BY status")
        .param("id", campaignId)
        .query((RowCallbackHandler) rs -> counts.put(rs.getString(1), rs.getLong(2)));
    return counts;
  }

  /**
   * The campaign's abandonment over its attempts created at or after {@code since}. A live answer
   * is one detection did not find a machine or fax on (a person, unknown, or detection off).
   */
  DropRate dropRate(UUID id, Instant since) {
    long[] counts = new long[4];
    jdbc.sql(
            "SELECT SUM(CASE WHEN answered_at IS NOT NULL THEN 1 ELSE 0 END),"
                + " SUM(CASE WHEN answered_at IS NOT NULL"
                + " AND (outcome IS NULL OR outcome NOT IN ('machine', 'fax'))"
                + " AND (answered_by IS NULL OR (answered_by NOT LIKE 'machine%'"
                + " AND answered_by <> 'fax')) THEN 1 ELSE 0 END),"
                + " SUM(CASE WHEN abandoned THEN 1 ELSE 0 END),"
                + " SUM(CASE WHEN outcome IN ('machine', 'fax') THEN 1 ELSE 0 END)"
                + " FROM call_record WHERE campaign_id = :id AND created_at >= :since")
        .param("id", id)
        .param("since", Timestamp.from(since))
        .query(
            (RowCallbackHandler)
                rs -> {
                  for (int i = 0; i < 4; i++) {
                    counts[i] = rs.getLong(i + 1);
                  }
                });
    return new DropRate(counts[0], counts[1], counts[2], counts[3]);
  }

  /**
   * The name a call placed now shows for the campaign's voicemail recording (its file name, or a
   * description when it was uploaded without one); null when the campaign has none.
   */
  String voicemailRecordingName(UUID campaignId) {
    return jdbc.sql("SELECT file_name FROM campaign_voicemail_audio WHERE campaign_id = :id")
        .param("id", campaignId)
        .query((rs, row) -> Optional.ofNullable(rs.getString(1)))
        .optional()
        .map(name -> name.orElse("the campaign's voicemail recording"))
        .orElse(null);
  }

  boolean hasSafeHarbourAudio(UUID campaignId) {
    return jdbc.sql("SELECT COUNT(*) FROM campaign_safe_harbour_audio WHERE campaign_id = :id")
            .param("id", campaignId)
            .query(Long.class)
            .single()
        > 0;
  }

  /** The campaign's calls in progress, rates and ETA, as of {@code now}. */
  CampaignProgress progress(UUID id, Map<String, Long> leadCounts, Instant now) {
    DropRate drops = dropRate(id, now.minus(DropRate.PERIOD));
    long[] attempts = new long[4];
    jdbc.sql(
            "SELECT COUNT(*), SUM(CASE WHEN answered_at IS NOT NULL THEN 1 ELSE 0 END),"
                + " SUM(CASE WHEN outcome IN ('machine', 'fax') THEN 1 ELSE 0 END),"
                + " SUM(CASE WHEN created_at >= :minuteAgo THEN 1 ELSE 0 END)"
                + " FROM call_record WHERE campaign_id = :id")
        .param("minuteAgo", Timestamp.from(now.minusSeconds(60)))
        .param("id", id)
        .query(
            (RowCallbackHandler)
                rs -> {
                  for (int i = 0; i < 4; i++) {
                    attempts[i] = rs.getLong(i + 1);
                  }
                });
    Map<String, Long> outcomes = new LinkedHashMap<>();
    jdbc.sql(
            "SELECT outcome, COUNT(*) FROM call_record WHERE campaign_id = :id AND outcome IS NOT"
                + " NULL GROUP BY outcome ORDER BY outcome")
        .param("id", id)
        .query((RowCallbackHandler) rs -> outcomes.put(rs.getString(1), rs.getLong(2)));
    long inCall =
        jdbc.sql(
                "SELECT COUNT(*) FROM campaign_lead WHERE campaign_id = :id AND status = 'dialing'"
                    + " AND current_call_id IS NOT NULL")
            .param("id", id)
            .query(Long.class)
            .single();
    long dialing = leadCounts.getOrDefault(LeadStatus.DIALING.wire(), 0L);
    long toCall =
        leadCounts.getOrDefault(LeadStatus.PENDING.wire(), 0L)
            + leadCounts.getOrDefault(LeadStatus.RETRY_AT.wire(), 0L);
    long total = attempts[0];
    long answered = attempts[1];
    long perMinute = attempts[3];
    return new CampaignProgress(
        inCall,
        Math.max(0, dialing - inCall),
        total,
        answered,
        attempts[2],
        outcomes,
        perMinute,
        total == 0 ? null : (double) answered / total,
        answered == 0 ? null : (double) attempts[2] / answered,
        perMinute == 0 ? null : (toCall + perMinute - 1) / perMinute,
        drops.liveAnswered(),
        drops.drops(),
        drops.rate(),
        drops.amdHangUpRate());
  }

  private static Campaign map(ResultSet rs, int row) throws SQLException {
    return new Campaign(
        UUID.fromString(rs.getString("id")),
        rs.getString("name"),
        CampaignStatus.fromWire(rs.getString("status")),
        JSON.readValue(rs.getString("settings"), CampaignSettings.class),
        Map.of(),
        null,
        rs.getTimestamp("created_at").toInstant(),
        rs.getString("created_by_email"),
        rs.getTimestamp("updated_at").toInstant());
  }
}
