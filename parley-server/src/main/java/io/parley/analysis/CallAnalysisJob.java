package io.parley.analysis;

import io.parley.agents.AgentConfig;
import io.parley.agents.AgentDirectory;
import io.parley.agents.AnalysisConfig;
import io.parley.calls.CallAnalysis;
import io.parley.calls.CallRecord;
import io.parley.calls.CallRecords;
import io.parley.calls.TranscriptSegment;
import io.parley.jobs.Job;
import io.parley.jobs.JobHandler;
import io.parley.jobs.JobSettings;
import io.parley.llm.LanguageModel;
import io.parley.llm.LlmEvent;
import io.parley.llm.LlmMessage;
import io.parley.llm.LlmRequest;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs one call's analysis: asks the model of the agent the call was made with (its snapshot), asks
 * once more when the answer is invalid, and stores the valid answer or the reason there is none.
 * Idempotent: a call analysed already is left alone, so a job run twice (its node crashed after
 * storing) asks nothing. A model that is unreachable or rate-limited fails the job, which the job
 * table retries with backoff; on the job's last attempt the failure is stored as the analysis.
 */
@Component
class CallAnalysisJob implements JobHandler {

  private static final Logger log = LoggerFactory.getLogger(CallAnalysisJob.class);

  /** Analyses are about facts, not style: the least random sampling. */
  static final double TEMPERATURE = 0.0;

  private final CallRecords records;
  private final AgentDirectory agents;
  private final LanguageModel model;
  private final JsonMapper mapper;
  private final AnalysisSettings settings;
  private final JobSettings jobSettings;
  private final Semaphore running;

  CallAnalysisJob(
      CallRecords records,
      AgentDirectory agents,
      LanguageModel model,
      JsonMapper mapper,
      AnalysisSettings settings,
      JobSettings jobSettings) {
    this.records = records;
    this.agents = agents;
    this.model = model;
    this.mapper = mapper;
    this.settings = settings;
    this.jobSettings = jobSettings;
    this.running = new Semaphore(settings.concurrency());
  }

  @Override
  public String kind() {
    return AnalysisScheduler.KIND;
  }

  @Override
  public void run(Job job) throws InterruptedException {
    JsonNode payload = mapper.readTree(job.payload());
    UUID callId = UUID.fromString(payload.path("callId").asString());
    if (records.analysis(callId).isPresent()) {
      return;
    }
    CallRecord call = records.find(callId).orElse(null);
    List<TranscriptSegment> transcript = records.transcript(callId);
    if (call == null || call.agentSnapshotJson() == null || transcript.isEmpty()) {
      // Answered but nothing was said, or deleted or purged by retention while it waited.
      log.info("Call {} has no record or transcript left to analyse", callId);
      return;
    }
    AgentConfig agent = agents.readSnapshot(call.agentSnapshotJson());
    running.acquire();
    try {
      CallAnalysis analysis = analyse(callId, agent, transcript, job.attempt());
      records.recordAnalysis(callId, analysis);
    } finally {
      running.release();
    }
  }

  private CallAnalysis analyse(
      UUID callId, AgentConfig agent, List<TranscriptSegment> transcript, int attempt) {
    AnalysisConfig config = agent.analysis();
    Cost cost = new Cost(agent.llm().provider(), agent.llm().model());
    try {
      return ask(callId, agent, transcript, attempt, new AnswerCheck(config, mapper), cost);
    } catch (AnswerCheck.UnusableSchema e) {
      return cost.error(e.getMessage());
    }
  }

  private CallAnalysis ask(
      UUID callId,
      AgentConfig agent,
      List<TranscriptSegment> transcript,
      int attempt,
      AnswerCheck check,
      Cost cost) {
    AnalysisConfig config = agent.analysis();
    List<LlmMessage> messages = AnalysisPrompt.messages(config, transcript, mapper);
    String problem = null;
    for (int request = 1; request <= 2; request++) {
      cost.requests++;
      ModelReply reply = ModelReply.ask(model, request(callId, agent, messages));
      switch (reply) {
        case ModelReply.Refused refused -> {
          if (refused.retriable() && attempt < jobSettings.maxAttempts()) {
            throw new IllegalStateException(
                "The model did not answer call " + callId + "'s analysis: " + refused.message());
          }
          return cost.error("the model did not answer: " + refused.message());
        }
        case ModelReply.Answered answered -> {
          cost.add(answered.usage());
          try {
            AnswerCheck.Valid valid = check.check(answered.text());
            return cost.done(valid);
          } catch (AnswerCheck.Invalid invalid) {
            problem = invalid.getMessage();
            messages = AnalysisPrompt.retry(messages, answered.text(), problem);
          }
        }
      }
    }
    return cost.error("the model's answer was invalid twice: " + problem);
  }

  private LlmRequest request(UUID callId, AgentConfig agent, List<LlmMessage> messages) {
    return new LlmRequest(
        agent.llm().provider(),
        agent.llm().model(),
        TEMPERATURE,
        callId.toString(),
        messages,
        List.of(),
        settings.firstTokenBudget());
  }

  /** What the requests of one analysis cost, and the analysis they end in. */
  private static final class Cost {
    private final String provider;
    private final String model;
    private long promptTokens;
    private long completionTokens;
    private int requests;

    Cost(String provider, String model) {
      this.provider = provider;
      this.model = model;
    }

    void add(LlmEvent.Usage usage) {
      promptTokens += usage.promptTokens();
      completionTokens += usage.completionTokens();
    }

    CallAnalysis done(AnswerCheck.Valid valid) {
      return new CallAnalysis(
          CallAnalysis.Status.DONE,
          valid.summary(),
          valid.category(),
          valid.sentiment(),
          valid.fieldsJson(),
          null,
          provider,
          model,
          promptTokens,
          completionTokens,
          requests,
          null);
    }

    CallAnalysis error(String reason) {
      return new CallAnalysis(
          CallAnalysis.Status.ERROR,
          null,
          null,
          null,
          null,
          reason,
          provider,
          model,
          promptTokens,
          completionTokens,
          requests,
          null);
    }
  }
}
