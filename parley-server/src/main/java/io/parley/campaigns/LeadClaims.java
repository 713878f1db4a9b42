package io.parley.campaigns;

import io.parley.calls.CallOutcome;
import io.parley.calls.CallStatus;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The dispatcher's side of {@code campaign_lead}: claiming due leads for a node, and settling them
 * when their attempt ends. Every change is a guarded update (the lead must still be where this node
 * left it), so two nodes sweeping the same campaign never settle a lead twice.
 */
@Repository
class LeadClaims {

  /** At most this many leads are claimed at once per campaign and node. */
  static final int BATCH = 5;

  private static final String DIALING = "'" + LeadStatus.DIALING.wire() + "'";

  /**
   * The dial of a callback was placed: it is done, once, whatever the call's outcome. The call id
   * first, as MariaDB assigns left to right with the values already assigned.
   */
  private static final String PLACED =
      "callback_call_id = CASE WHEN callback_state = 'dialing' THEN :call ELSE callback_call_id"
          + " END, callback_state = CASE WHEN callback_state = 'dialing' THEN 'placed' ELSE"
          + " callback_state END";

  private final JdbcClient jdbc;
  private final TransactionTemplate transaction;

  LeadClaims(JdbcClient jdbc, PlatformTransactionManager transactions) {
    this.jdbc = jdbc;
    this.transaction = new TransactionTemplate(transactions);
  }

  /** A claimed lead's attempt that has ended, with what its call record says. */
  record EndedAttempt(
      UUID leadId, UUID callId, int attempts, CallOutcome outcome, CallStatus status) {}

  /**
   * Claims due leads for {@code node}: retries whose time has come first, then pending leads in the
   * order they were loaded. The campaign's pace row ({@code paceKey}) is locked first, so claims of
   * one campaign take turns across nodes and the concurrency count cannot race; the leads
   * themselves are taken with {@code FOR UPDATE SKIP LOCKED}.
   *
   * @param maxConcurrent the campaign's limit of leads in {@code dialing}
   * @param nodeBudget how many more calls this node may start
   */
  List<Lead> claim(
      UUID campaignId,
      String paceKey,
      int maxConcurrent,
      int nodeBudget,
      String node,
      Instant now,
      Instant leaseUntil) {
    return transaction.execute(
        status -> {
          jdbc.sql("SELECT pace_key FROM dial_pace WHERE pace_key = :key FOR UPDATE")
              .param("key", paceKey)
              .query(String.class)
              .optional();
          int busy = dialingCount(campaignId);
          int wanted = Math.min(Math.min(maxConcurrent - busy, nodeBudget), BATCH);
          if (wanted <= 0) {
            return List.of();
          }
          List<String> ids = new ArrayList<>();
          // Callbacks a person asked for come first, then retries, each by when it fell due.
          for (String due : List.of(LeadStatus.CALLBACK.wire(), LeadStatus.RETRY_AT.wire())) {
            if (ids.size() < wanted) {
              ids.addAll(
                  jdbc.sql(
                          "SELECT id FROM campaign_lead WHERE campaign_id = :campaign"
                              + " AND status = :status AND next_attempt_at <= :now ORDER BY"
                              + " next_attempt_at, id LIMIT :limit FOR UPDATE SKIP LOCKED")
                      .param("campaign", campaignId)
                      .param("status", due)
                      .param("now", Timestamp.from(now))
                      .param("limit", wanted - ids.size())
                      .query(String.class)
                      .list());
            }
          }
          if (ids.size() < wanted) {
            ids.addAll(
                jdbc.sql(
                        "SELECT id FROM campaign_lead WHERE campaign_id = :campaign"
                            + " AND status = 'pending'"
                            + " ORDER BY created_at, import_line, id LIMIT :limit FOR UPDATE SKIP LOCKED")
                    .param("campaign", campaignId)
                    .param("limit", wanted - ids.size())
                    .query(String.class)
                    .list());
          }
          if (ids.isEmpty()) {
            return List.of();
          }
          // callback_state before status: MariaDB assigns left to right, with the values assigned.
          jdbc.sql(
                  "UPDATE campaign_lead SET callback_state = CASE WHEN status = 'callback' THEN"
                      + " 'dialing' ELSE callback_state END, status = "
                      + DIALING
                      + ", claimed_by = :node, lease_until = :lease, updated_at = :now"
                      + " WHERE id IN (:ids)")
              .param("node", node)
              .param("lease", Timestamp.from(leaseUntil))
              .param("now", Timestamp.from(now))
              .param("ids", ids)
              .update();
          return jdbc.sql(
                  "SELECT "
                      + LeadRepository.COLUMNS
                      + " FROM campaign_lead WHERE id IN (:ids) ORDER BY created_at, import_line, id")
              .param("ids", ids)
              .query(LeadRepository::map)
              .list();
        });
  }

  /** Leads of the campaign in {@code dialing}: claimed, waiting for their slot, or in a call. */
  int dialingCount(UUID campaignId) {
    return jdbc.sql(
            "SELECT COUNT(*) FROM campaign_lead WHERE campaign_id = :campaign AND status = "
                + DIALING)
        .param("campaign", campaignId)
        .query(Integer.class)
        .single();
  }

  /** Leads still to be called or being called: the campaign is complete when there are none. */
  int unfinished(UUID campaignId) {
    return jdbc.sql(
            "SELECT COUNT(*) FROM campaign_lead WHERE campaign_id = :campaign"
                + " AND status IN ('pending', 'retry_at', 'callback', 'dialing')")
        .param("campaign", campaignId)
        .query(Integer.class)
        .single();
  }

  /** Extends this node's claim until the lead's dial; false when the lead is no longer its own. */
  boolean renew(UUID leadId, String node, Instant leaseUntil) {
    return jdbc.sql(
                "UPDATE campaign_lead SET lease_until = :lease WHERE id = :id AND status = "
                    + DIALING
                    + " AND claimed_by = :node AND current_call_id IS NULL")
            .param("lease", Timestamp.from(leaseUntil))
            .param("id", leadId)
            .param("node", node)
            .update()
        == 1;
  }

  /** Records the attempt placed for the lead (counted, and awaited until its call ends). */
  boolean attach(UUID leadId, UUID callId, Instant now) {
    return jdbc.sql(
                "UPDATE campaign_lead SET current_call_id = :call, last_call_id = :call,"
                    + " attempts = attempts + 1, updated_at = :now, "
                    + PLACED
                    + " WHERE id = :id AND status = "
                    + DIALING
                    + " AND current_call_id IS NULL")
            .param("call", callId)
            .param("now", Timestamp.from(now))
            .param("id", leadId)
            .update()
        == 1;
  }

  /** Puts a claimed lead back in the pool undialled (a passing reason: capacity, pace, stop). */
  boolean release(UUID leadId, Instant retryAt, String reason, Instant now) {
    return jdbc.sql(
                "UPDATE campaign_lead SET status = CASE WHEN callback_state = 'dialing' THEN"
                    + " 'callback' WHEN attempts = 0 THEN 'pending' ELSE 'retry_at' END,"
                    + " next_attempt_at = :retryAt, status_reason = :reason, claimed_by = NULL,"
                    + " lease_until = NULL, updated_at = :now, callback_state = CASE WHEN"
                    + " callback_state = 'dialing' THEN 'scheduled' ELSE callback_state END"
                    + " WHERE id = :id AND status = "
                    + DIALING
                    + " AND current_call_id IS NULL")
            .param("retryAt", Timestamp.from(retryAt))
            .param("reason", reason, Types.VARCHAR)
            .param("now", Timestamp.from(now))
            .param("id", leadId)
            .update()
        == 1;
  }

  /**
   * Moves a lead out of {@code dialing}: after its attempt ended ({@code callId} is the attempt it
   * waited on) or after the gate refused it ({@code callId} null: it had no attempt in flight). A
   * callback pending on the lead is merged in ({@link CallbackSettlement}): the row is read and
   * locked first, in one transaction with the update.
   */
  boolean settle(UUID leadId, UUID callId, LeadSettlement settlement, Instant now) {
    Boolean settled =
        transaction.execute(
            status -> {
              String guard =
                  " WHERE id = :id AND status = "
                      + DIALING
                      + (callId == null
                          ? " AND current_call_id IS NULL"
                          : " AND current_call_id = :call");
              Optional<Pending> pending =
                  jdbc.sql(
                          "SELECT campaign_id, callback_state, callback_due_at, callback_zone FROM"
                              + " campaign_lead"
                              + guard
                              + " FOR UPDATE")
                      .param("id", leadId)
                      .param("call", callId, Types.VARCHAR)
                      .query(
                          (rs, n) ->
                              new Pending(
                                  UUID.fromString(rs.getString(1)),
                                  rs.getString(2),
                                  rs.getTimestamp(3),
                                  rs.getString(4)))
                      .optional();
              if (pending.isEmpty()) {
                return false;
              }
              CallbackSettlement merged = pending.get().merge(settlement, this::cancelled);
              LeadSettlement lead = merged == null ? settlement : merged.lead();
              StringBuilder sql =
                  new StringBuilder(
                      "UPDATE campaign_lead SET status = :status, last_outcome ="
                          + " COALESCE(:outcome, last_outcome), status_reason = :reason,"
                          + " next_attempt_at = :next, current_call_id = NULL, claimed_by = NULL,"
                          + " lease_until = NULL, updated_at = :now");
              if (merged != null) {
                sql.append(
                    ", callback_state = :cbState, callback_due_at = :cbDue,"
                        + " callback_note = COALESCE(:cbNote, callback_note)");
                if (merged.prior() != null) {
                  sql.append(
                      ", callback_prior_status = :priorStatus, callback_prior_next_at = :priorNext");
                }
              }
              var update =
                  jdbc.sql(sql + guard)
                      .param("status", lead.status().wire())
                      .param("outcome", lead.lastOutcome(), Types.VARCHAR)
                      .param("reason", lead.reason(), Types.VARCHAR)
                      .param("next", timestamp(lead.nextAttemptAt()), Types.TIMESTAMP)
                      .param("now", Timestamp.from(now))
                      .param("id", leadId)
                      .param("call", callId, Types.VARCHAR);
              if (merged != null) {
                update =
                    update
                        .param("cbState", merged.state().wire())
                        .param("cbDue", timestamp(merged.dueAt()), Types.TIMESTAMP)
                        .param("cbNote", merged.note(), Types.VARCHAR);
                if (merged.prior() != null) {
                  update =
                      update
                          .param("priorStatus", merged.prior().status().wire())
                          .param(
                              "priorNext",
                              timestamp(merged.prior().nextAttemptAt()),
                              Types.TIMESTAMP);
                }
              }
              return update.update() == 1;
            });
    return Boolean.TRUE.equals(settled);
  }

  /** A lead's pending callback as its settlement reads it. */
  private record Pending(UUID campaignId, String state, Timestamp dueAt, String zone) {

    /** The merged settlement, or null when no callback is pending (none, placed or cancelled). */
    CallbackSettlement merge(
        LeadSettlement settlement, java.util.function.Predicate<UUID> campaignCancelled) {
      if (!"scheduled".equals(state) && !"dialing".equals(state)) {
        return null;
      }
      Instant due = dueAt == null ? null : dueAt.toInstant();
      return CallbackSettlement.merge(
          settlement,
          LeadCallback.State.fromWire(state),
          due,
          LeadCallback.local(due, zone) + " " + zone,
          campaignCancelled.test(campaignId));
    }
  }

  private boolean cancelled(UUID campaignId) {
    return jdbc.sql("SELECT status FROM campaign WHERE id = :id")
        .param("id", campaignId)
        .query(String.class)
        .optional()
        .map(CampaignStatus.CANCELLED.wire()::equals)
        .orElse(true);
  }

  private static Timestamp timestamp(Instant instant) {
    return instant == null ? null : Timestamp.from(instant);
  }

  /** Leads of the campaign whose attempt's call has reached a final carrier status. */
  List<EndedAttempt> endedAttempts(UUID campaignId) {
    return jdbc.sql(
            "SELECT l.id, l.current_call_id, l.attempts, c.outcome, c.status FROM campaign_lead l"
                + " JOIN call_record c ON c.id = l.current_call_id"
                + " WHERE l.campaign_id = :campaign AND l.status = "
                + DIALING
                + " AND c.status_rank >= :final")
        .param("campaign", campaignId)
        .param("final", CallStatus.COMPLETED.rank())
        .query(
            (rs, row) ->
                new EndedAttempt(
                    UUID.fromString(rs.getString(1)),
                    UUID.fromString(rs.getString(2)),
                    rs.getInt(3),
                    rs.getString(4) == null
                        ? null
                        : CallOutcome.parse(rs.getString(4)).orElse(null),
                    CallStatus.parse(rs.getString(5)).orElse(CallStatus.FAILED)))
        .list();
  }

  /** A claim whose node let its lease run out (it died) before the lead had a call of its own. */
  record LapsedClaim(UUID leadId, int attempts, int attemptRows, UUID newestAttempt) {}

  /**
   * Claims of the campaign whose lease ran out, each with the attempts written for the lead: a node
   * that died between writing an attempt and recording it on the lead left one row more than the
   * lead counts, and that attempt is adopted rather than dialled again.
   */
  List<LapsedClaim> lapsed(UUID campaignId, Instant now) {
    return jdbc.sql(
            "SELECT l.id, l.attempts, (SELECT COUNT(*) FROM call_record c WHERE c.lead_id = l.id),"
                + " (SELECT c.id FROM call_record c WHERE c.lead_id = l.id ORDER BY c.created_at"
                + " DESC, c.id LIMIT 1) FROM campaign_lead l WHERE l.campaign_id = :campaign"
                + " AND l.status = "
                + DIALING
                + " AND l.current_call_id IS NULL AND l.lease_until < :now")
        .param("campaign", campaignId)
        .param("now", Timestamp.from(now))
        .query(
            (rs, row) ->
                new LapsedClaim(
                    UUID.fromString(rs.getString(1)),
                    rs.getInt(2),
                    rs.getInt(3),
                    rs.getString(4) == null ? null : UUID.fromString(rs.getString(4))))
        .list();
  }

  /** Adopts the attempt a dead node wrote but never recorded on the lead. */
  boolean adopt(LapsedClaim claim, Instant now) {
    return jdbc.sql(
                "UPDATE campaign_lead SET current_call_id = :call, last_call_id = :call,"
                    + " attempts = :attempts, updated_at = :now, "
                    + PLACED
                    + " WHERE id = :id AND status = "
                    + DIALING
                    + " AND current_call_id IS NULL AND attempts = :before")
            .param("call", claim.newestAttempt())
            .param("attempts", claim.attemptRows())
            .param("now", Timestamp.from(now))
            .param("id", claim.leadId())
            .param("before", claim.attempts())
            .update()
        == 1;
  }
}
