package io.parley.compliance;

import io.parley.shared.Actor;
import io.parley.shared.PageRequest;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The campaign layer of the {@code do_not_call} table: entries with a {@code campaign_id}, which
 * block a number for that campaign only (a client's own suppression list, say). The table's unique
 * index allows one active entry per number and layer.
 */
@Repository
class CampaignDncRepository {

  private static final String LAYER = "organisation_id = :org AND campaign_id = :campaign";

  private final JdbcClient jdbc;

  CampaignDncRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * Inserts in a savepoint, as the company layer does (a lost race leaves the transaction usable).
   */
  @Transactional(propagation = Propagation.NESTED)
  void insert(UUID organisationId, UUID campaignId, DncEntry entry) {
    jdbc.sql(
            "INSERT INTO do_not_call (id, organisation_id, campaign_id, phone_number, source,"
                + " reason, created_at, created_by_id, created_by_email) VALUES (:id, :org,"
                + " :campaign, :number, :source, :reason, :createdAt, :byId, :byEmail)")
        .param("id", entry.id())
        .param("org", organisationId)
        .param("campaign", campaignId)
        .param("number", entry.phoneNumber())
        .param("source", entry.source().wire())
        .param("reason", entry.reason(), Types.VARCHAR)
        .param("createdAt", Timestamp.from(entry.createdAt()))
        .param("byId", entry.createdBy() == null ? null : entry.createdBy().userId())
        .param(
            "byEmail", entry.createdBy() == null ? null : entry.createdBy().email(), Types.VARCHAR)
        .update();
  }

  Optional<DncEntry> findActive(UUID organisationId, UUID campaignId, String number) {
    return jdbc.sql(
            "SELECT "
                + DncRepository.COLUMNS
                + " FROM do_not_call WHERE "
                + LAYER
                + " AND phone_number = :number AND removed_at IS NULL FOR UPDATE")
        .param("org", organisationId)
        .param("campaign", campaignId)
        .param("number", number)
        .query(DncRepository::entry)
        .optional();
  }

  /** Blocked for this campaign: by the company-wide list or by the campaign's own. */
  boolean isBlocked(UUID organisationId, UUID campaignId, String number) {
    return jdbc.sql(
                "SELECT COUNT(*) FROM do_not_call WHERE organisation_id = :org AND (campaign_id IS"
                    + " NULL OR campaign_id = :campaign) AND phone_number = :number AND removed_at"
                    + " IS NULL")
            .param("org", organisationId)
            .param("campaign", campaignId)
            .param("number", number)
            .query(Long.class)
            .single()
        > 0;
  }

  boolean remove(UUID id, Actor actor, String reason, Instant now) {
    return jdbc.sql(
                "UPDATE do_not_call SET removed_at = :now, removed_by_id = :byId, removed_by_email"
                    + " = :byEmail, removal_reason = :reason WHERE id = :id AND removed_at IS NULL")
            .param("now", Timestamp.from(now))
            .param("byId", actor.userId())
            .param("byEmail", actor.email(), Types.VARCHAR)
            .param("reason", reason, Types.VARCHAR)
            .param("id", id)
            .update()
        == 1;
  }

  List<DncEntry> page(UUID organisationId, UUID campaignId, PageRequest page) {
    return jdbc.sql(
            "SELECT "
                + DncRepository.COLUMNS
                + " FROM do_not_call WHERE "
                + LAYER
                + " AND removed_at IS NULL ORDER BY phone_number LIMIT :limit OFFSET :offset")
        .param("org", organisationId)
        .param("campaign", campaignId)
        .param("limit", page.size())
        .param("offset", page.offset())
        .query(DncRepository::entry)
        .list();
  }

  long count(UUID organisationId, UUID campaignId) {
    return jdbc.sql("SELECT COUNT(*) FROM do_not_call WHERE " + LAYER + " AND removed_at IS NULL")
        .param("org", organisationId)
        .param("campaign", campaignId)
        .query(Long.class)
        .single();
  }
}
