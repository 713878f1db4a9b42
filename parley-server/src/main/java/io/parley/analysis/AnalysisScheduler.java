package io.parley.analysis;

import io.parley.agents.AgentConfig;
import io.parley.agents.AgentDirectory;
import io.parley.calls.CallEvent.CallEnded;
import io.parley.calls.CallRecord;
import io.parley.calls.CallRecords;
import io.parley.jobs.Jobs;
import java.time.Clock;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Schedules a call's analysis when the call ends ({@code PARLEY_ANALYSIS_DELAY} later). It listens
 * synchronously, inside the transaction that ended the call, so the job exists exactly when the end
 * committed: a node that stops right after leaves the job in the table for whichever node polls
 * next.
 */
@Component
class AnalysisScheduler {

  static final String KIND = "call.analysis";

  private static final Logger log = LoggerFactory.getLogger(AnalysisScheduler.class);

  private final CallRecords records;
  private final AgentDirectory agents;
  private final Jobs jobs;
  private final JsonMapper mapper;
  private final Clock clock;
  private final AnalysisSettings settings;

  AnalysisScheduler(
      CallRecords records,
      AgentDirectory agents,
      Jobs jobs,
      JsonMapper mapper,
      Clock clock,
      AnalysisSettings settings) {
    this.settings = settings;
    this.records = records;
    this.agents = agents;
    this.jobs = jobs;
    this.mapper = mapper;
    this.clock = clock;
  }

  @EventListener
  void on(CallEnded ended) {
    CallRecord call = records.find(ended.callId()).orElse(null);
    if (call == null || !analysed(call) || !talked(call)) {
      return;
    }
    jobs.schedule(
        KIND, payload(call.id()), clock.instant().plus(settings.delay()), KIND + ":" + call.id());
  }

  /**
   * Whether the call can have a transcript: it has segments, or it was answered (its segments may
   * still be on their way; the job skips a call that turns out to have none).
   */
  private boolean talked(CallRecord call) {
    return call.answeredAt() != null || !records.transcript(call.id()).isEmpty();
  }

  private boolean analysed(CallRecord call) {
    if (call.agentSnapshotJson() == null) {
      return false;
    }
    try {
      AgentConfig agent = agents.readSnapshot(call.agentSnapshotJson());
      return agent.analysis().enabled();
    } catch (IllegalArgumentException e) {
      // A snapshot this version cannot read is no reason to fail ending the call.
      log.warn("Call {} is not analysed: {}", call.id(), e.getMessage());
      return false;
    }
  }

  String payload(UUID callId) {
    return mapper.writeValueAsString(mapper.createObjectNode().put("callId", callId.toString()));
  }
}
