package io.parley.calls;

import io.parley.shared.NotFoundException;
import io.parley.shared.Page;
import io.parley.shared.PageRequest;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** The read side: filtered, paged history and one call with everything it recorded. */
@Service
class CallHistory {

  private final JdbcClient jdbc;
  private final CallRepository calls;
  private final CallPartsRepository parts;
  private final CallJson json;
  private final CallSearch search;
  private final CallAnalysisRepository analyses;

  CallHistory(
      JdbcClient jdbc,
      CallRepository calls,
      CallPartsRepository parts,
      CallJson json,
      CallSearch search,
      CallAnalysisRepository analyses) {
    this.jdbc = jdbc;
    this.analyses = analyses;
    this.search = search;
    this.calls = calls;
    this.parts = parts;
    this.json = json;
  }

  /** The calls the query selects, in its order; the id breaks ties so pages never overlap. */
  @Transactional(readOnly = true)
  Page<CallSummary> list(UUID organisationId, CallQuery query) {
    CallSearch.Where where = search.where(organisationId, query.filter());
    long total = jdbc.sql(countSql(where)).params(where.params()).query(Long.class).single();
    PageRequest page = query.page();
    List<CallSummary> items =
        jdbc.sql(pageSql(where, query.sort()))
            .params(where.params())
            .param("limit", page.size())
            .param("offset", page.offset())
            .query(CallHistory::summary)
            .list();
    return new Page<>(items, page.page(), page.size(), total);
  }

  /** The list's total: how many calls the filters select. */
  static String countSql(CallSearch.Where where) {
    return "SELECT COUNT(*) FROM call_record c" + where.sql();
  }

  /** One page of the list; binds the filters' parameters, {@code limit} and {@code offset}. */
  static String pageSql(CallSearch.Where where, CallSort sort) {
    return SUMMARY_SELECT + where.sql() + sort.orderBy() + " LIMIT :limit OFFSET :offset";
  }

  @Transactional(readOnly = true)
  CallDetails details(UUID organisationId, UUID id) {
    CallRecord call =
        calls
            .find(id)
            .filter(found -> found.organisationId().equals(organisationId))
            .orElseThrow(() -> new NotFoundException("No call " + id));
    return new CallDetails(
        call.id(),
        call.agentId(),
        call.agentName(),
        json.tree(call.agentSnapshotJson()),
        call.promptId(),
        call.promptVersion(),
        call.direction(),
        call.fromNumber(),
        call.toNumber(),
        call.twilioCallSid(),
        call.status(),
        call.answeredBy(),
        call.outcome(),
        call.outcomeReason(),
        json.tree(call.leadVariablesJson()),
        json.tree(call.extractedDataJson()),
        call.idempotencyKey(),
        call.createdAt(),
        call.updatedAt(),
        call.startedAt(),
        call.answeredAt(),
        call.endedAt(),
        call.durationSeconds(),
        CallDetails.RecordingInfo.of(call.recording(), call.retention()),
        call.createdBy(),
        call.campaignId(),
        call.abandoned(),
        CallDetails.Kept.of(call.retention()),
        parts.segments(id),
        parts.toolInvocations(id),
        parts.turns(id),
        analyses.find(id).map(a -> CallDetails.AnalysisInfo.of(a, json)).orElse(null));
  }

  /**
   * A list row's columns. The prompt's name is read from the prompts' table, which {@code
   * call_record.prompt_id} references: the call stores only the id and version it used.
   */
  static final String SUMMARY_SELECT =
      "SELECT c.id, c.agent_id, c.agent_name, c.prompt_id, p.name AS prompt_name,"
          + " c.prompt_version, c.campaign_id, c.direction, c.from_number, c.to_number,"
          + " c.twilio_call_sid, c.status, c.answered_by, c.outcome, c.outcome_reason,"
          + " c.created_at, c.started_at, c.answered_at, c.ended_at, c.duration_seconds,"
          + " c.recording_sid FROM call_record c LEFT JOIN prompt p ON p.id = c.prompt_id";

  static CallSummary summary(ResultSet rs, int row) throws SQLException {
    return new CallSummary(
        UUID.fromString(rs.getString("id")),
        CallRepository.uuid(rs, "agent_id"),
        rs.getString("agent_name"),
        CallRepository.uuid(rs, "prompt_id"),
        rs.getString("prompt_name"),
        CallRepository.integer(rs, "prompt_version"),
        CallRepository.uuid(rs, "campaign_id"),
        CallDirection.parse(rs.getString("direction")).orElse(null),
        rs.getString("from_number"),
        rs.getString("to_number"),
        rs.getString("twilio_call_sid"),
        CallStatus.parse(rs.getString("status")).orElse(null),
        rs.getString("answered_by"),
        rs.getString("outcome") == null
            ? null
            : CallOutcome.parse(rs.getString("outcome")).orElse(null),
        rs.getString("outcome_reason"),
        CallRepository.instant(rs, "created_at"),
        CallRepository.instant(rs, "started_at"),
        CallRepository.instant(rs, "answered_at"),
        CallRepository.instant(rs, "ended_at"),
        CallRepository.integer(rs, "duration_seconds"),
        rs.getString("recording_sid") != null);
  }
}
