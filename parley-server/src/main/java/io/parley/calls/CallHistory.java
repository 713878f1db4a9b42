package io.parley.calls;

import io.parley.shared.NotFoundException;
import io.parley.shared.Page;
import io.parley.shared.PageRequest;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

  CallHistory(JdbcClient jdbc, CallRepository calls, CallPartsRepository parts, CallJson json) {
    this.jdbc = jdbc;
    this.calls = calls;
    this.parts = parts;
    this.json = json;
  }

  /** Newest first; ties (same microsecond) broken by id so pages never overlap. */
  @Transactional(readOnly = true)
  Page<CallSummary> list(UUID organisationId, CallFilter filter, PageRequest page) {
    List<String> conditions = new ArrayList<>(List.of("organisation_id = :org"));
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("org", organisationId);
    if (filter.agentId() != null) {
      conditions.add("agent_id = :agentId");
      params.put("agentId", filter.agentId());
    }
    if (filter.status() != null) {
      conditions.add("status = :status");
      params.put("status", filter.status().wire());
    }
    if (filter.direction() != null) {
      conditions.add("direction = :direction");
      params.put("direction", filter.direction().wire());
    }
    if (filter.from() != null) {
      conditions.add("created_at >= :from");
      params.put("from", Timestamp.from(filter.from()));
    }
    if (filter.to() != null) {
      conditions.add("created_at < :to");
      params.put("to", Timestamp.from(filter.to()));
    }
    String where = " FROM call_record WHERE " + String.join(" AND ", conditions);
    long total = jdbc.sql("SELECT COUNT(*)" + where).params(params).query(Long.class).single();
    List<CallSummary> items =
        jdbc
            .sql(
                "SELECT "
                    + CallRepository.COLUMNS
                    + where
                    + " ORDER BY created_at DESC, id DESC LIMIT :limit OFFSET :offset")
            .params(params)
            .param("limit", page.size())
            .param("offset", page.offset())
            .query(CallRepository::map)
            .list()
            .stream()
            .map(CallHistory::summary)
            .toList();
    return new Page<>(items, page.page(), page.size(), total);
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
        call.recording(),
        call.createdBy(),
        call.campaignId(),
        call.abandoned(),
        parts.segments(id),
        parts.toolInvocations(id),
        parts.turns(id));
  }

  private static CallSummary summary(CallRecord call) {
    return new CallSummary(
        call.id(),
        call.agentId(),
        call.agentName(),
        call.direction(),
        call.fromNumber(),
        call.toNumber(),
        call.twilioCallSid(),
        call.status(),
        call.answeredBy(),
        call.outcome(),
        call.outcomeReason(),
        call.createdAt(),
        call.startedAt(),
        call.answeredAt(),
        call.endedAt(),
        call.durationSeconds());
  }
}
