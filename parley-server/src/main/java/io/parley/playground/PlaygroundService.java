package io.parley.playground;

import io.parley.agents.AgentConfig;
import io.parley.agents.AgentDirectory;
import io.parley.agents.AgentSnapshot;
import io.parley.agents.LlmConfig;
import io.parley.conversation.DryRunTools;
import io.parley.llm.LanguageModel;
import io.parley.llm.LlmTool;
import io.parley.prompts.PromptCatalog;
import io.parley.prompts.RenderInput;
import io.parley.prompts.RenderedPrompt;
import io.parley.providers.ProviderKind;
import io.parley.providers.ProviderRegistry;
import io.parley.shared.ConflictException;
import io.parley.shared.InvalidInputException;
import io.parley.shared.NotFoundException;
import io.parley.shared.Organisations;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Service;
import tools.jackson.databind.json.JsonMapper;

/**
 * Playground sessions: created from an agent or a prompt and a model, answered one message at a
 * time, visible to their owner only (anyone else gets 404, as for a session that does not exist),
 * and gone after {@link #IDLE_EXPIRY} without use.
 */
@Service
class PlaygroundService {

  static final Duration IDLE_EXPIRY = Duration.ofMinutes(30);
  static final int MAX_SESSIONS_PER_USER = 10;
  static final int MAX_ENTRIES = 200;
  static final int MAX_MESSAGE_LENGTH = 4000;
  static final int MAX_VARIABLES = 50;
  static final int MAX_VARIABLE_LENGTH = 1000;

  /** How long a reply's request holds the session; a reply that dies frees it after this. */
  static final Duration REPLY_LEASE = Duration.ofMinutes(2);

  private final PlaygroundRepository repository;
  private final AgentDirectory agents;
  private final PromptCatalog prompts;
  private final ProviderRegistry providers;
  private final LanguageModel model;
  private final DryRunTools dryRunTools;
  private final JsonMapper json;
  private final Clock clock;

  PlaygroundService(
      PlaygroundRepository repository,
      AgentDirectory agents,
      PromptCatalog prompts,
      ProviderRegistry providers,
      LanguageModel model,
      DryRunTools dryRunTools,
      JsonMapper json,
      Clock clock) {
    this.repository = repository;
    this.agents = agents;
    this.prompts = prompts;
    this.providers = providers;
    this.model = model;
    this.dryRunTools = dryRunTools;
    this.json = json;
    this.clock = clock;
  }

  PlaygroundSession create(UUID ownerId, CreateSessionRequest request) {
    UUID organisationId = Organisations.DEFAULT_ID;
    if (request.agentId() != null && request.promptId() != null) {
      throw new InvalidInputException("promptId", "give an agentId or a promptId, not both");
    }
    if (request.agentId() == null && request.promptId() == null) {
      throw new InvalidInputException(
          "agentId", "an agentId, or a promptId and a model, is required");
    }
    Map<String, String> variables = variables(request.variables());
    AgentConfig agent = null;
    AgentSnapshot snapshot = null;
    UUID promptId;
    Integer pinned = null;
    if (request.agentId() != null) {
      UUID agentId = id(request.agentId(), "agentId");
      snapshot =
          agents
              .snapshot(organisationId, agentId)
              .orElseThrow(() -> new InvalidInputException("agentId", "no such agent"));
      agent = snapshot.config();
      promptId = snapshot.promptId();
      pinned = snapshot.promptVersion();
    } else {
      promptId = id(request.promptId(), "promptId");
      if (!prompts.exists(organisationId, promptId)) {
        throw new InvalidInputException("promptId", "no such prompt");
      }
    }
    int version = version(organisationId, promptId, request.promptVersion(), pinned);
    String provider = provider(request.provider(), agent);
    String modelName = request.model() != null ? request.model().strip() : null;
    if (modelName == null || modelName.isEmpty()) {
      if (agent == null) {
        throw new InvalidInputException("model", "is required with a promptId");
      }
      modelName = agent.llm().model();
    }
    if (modelName.length() > 200) {
      throw new InvalidInputException("model", "must be at most 200 characters");
    }
    Double temperature = request.temperature() != null ? request.temperature() : null;
    if (temperature == null && agent != null) {
      temperature = agent.llm().temperature();
    }
    if (temperature != null && (temperature < 0 || temperature > 2 || temperature.isNaN())) {
      throw new InvalidInputException("temperature", "must be from 0 to 2");
    }
    if (repository.countByOwner(ownerId, clock.instant().minus(IDLE_EXPIRY))
        >= MAX_SESSIONS_PER_USER) {
      throw new ConflictException(
          "You have "
              + MAX_SESSIONS_PER_USER
              + " playground sessions open: delete one, or wait for one to expire");
    }
    String systemPrompt =
        render(organisationId, promptId, version, variables, agent, false).text()
            + (agent == null ? "" : DryRunTools.promptSuffix(agent));
    Instant now = clock.instant();
    List<TranscriptEntry> transcript = new ArrayList<>();
    if (agent != null) {
      // A call opens with the disclosure and the greeting; so does the playground.
      String opening =
          (agent.disclosure() == null || agent.disclosure().isBlank()
                  ? ""
                  : agent.disclosure().strip() + " ")
              + agent.greeting().strip();
      transcript.add(new TranscriptEntry.Assistant(opening, List.of(), now));
    }
    PlaygroundSession session =
        new PlaygroundSession(
            UUID.randomUUID(),
            organisationId,
            ownerId,
            snapshot == null ? null : snapshot.agentId(),
            snapshot == null ? null : snapshot.configJson(),
            promptId,
            version,
            provider,
            modelName,
            temperature,
            variables,
            systemPrompt,
            transcript,
            null,
            null,
            null,
            now,
            now);
    repository.insert(session);
    return session;
  }

  /** The owner's session; 404 for anyone else, and once it has expired. */
  PlaygroundSession find(UUID ownerId, UUID id) {
    return repository
        .find(id)
        .filter(session -> session.ownerId().equals(ownerId))
        .filter(session -> !expired(session))
        .orElseThrow(() -> new NotFoundException("No playground session " + id));
  }

  List<PlaygroundSession> list(UUID ownerId) {
    return repository.listByOwner(ownerId, clock.instant().minus(IDLE_EXPIRY));
  }

  /** Accepts the next message; its reply is streamed by {@link #reply}. */
  void send(UUID ownerId, UUID id, String text) {
    if (text == null || text.isBlank()) {
      throw new InvalidInputException("text", "is required");
    }
    if (text.length() > MAX_MESSAGE_LENGTH) {
      throw new InvalidInputException(
          "text", "must be at most " + MAX_MESSAGE_LENGTH + " characters");
    }
    PlaygroundSession session = find(ownerId, id);
    if (session.ended() != null) {
      throw new ConflictException(
          "The call ended here ("
              + session.ended().outcome()
              + "): delete the session and start another to go on");
    }
    // Each reply adds at most a user entry, and per round an answer and its tools' results.
    if (session.transcript().size() >= MAX_ENTRIES) {
      throw new ConflictException(
          "The session holds " + MAX_ENTRIES + " entries: delete it and start another");
    }
    Instant now = clock.instant();
    if (!repository.setPending(id, text.strip(), now)) {
      throw new ConflictException("A reply is being streamed: wait for it before the next message");
    }
  }

  /**
   * Streams the reply to the waiting message and stores it. Of two requests for the same reply
   * exactly one streams it; the other gets 409.
   */
  void reply(UUID ownerId, UUID id, ReplyRun.Sink sink) {
    PlaygroundSession before = find(ownerId, id);
    Instant now = clock.instant();
    if (!repository.claim(id, now, now.plus(REPLY_LEASE))) {
      throw new ConflictException(
          before.answering(now)
              ? "A reply to this session is already being streamed"
              : "No message is waiting for a reply: POST one to the session's messages first");
    }
    boolean stored = false;
    try {
      PlaygroundSession session = find(ownerId, id);
      AgentConfig agent =
          session.agentConfigJson() == null ? null : agents.readSnapshot(session.agentConfigJson());
      DryRunTools.Toolset tools = toolset(session, agent);
      ReplyRun.Result result =
          new ReplyRun(
                  model, tools, agent == null ? "" : DryRunTools.promptSuffix(agent), json, clock)
              .run(session, session.pendingText(), sink);
      repository.finish(
          id, result.transcript(), result.systemPrompt(), result.ended(), clock.instant());
      stored = true;
      sink.send(
          new ReplyEvent.Done(
              result.transcript().size(), result.promptTokens(), result.completionTokens()));
    } finally {
      if (!stored) {
        repository.release(id);
      }
    }
  }

  void delete(UUID ownerId, UUID id) {
    find(ownerId, id);
    repository.delete(id);
  }

  /** The names of the tools the model is offered in this session. */
  List<String> toolNames(PlaygroundSession session) {
    if (session.agentConfigJson() == null) {
      return List.of();
    }
    AgentConfig agent = agents.readSnapshot(session.agentConfigJson());
    return toolset(session, agent).definitions().stream().map(LlmTool::name).toList();
  }

  Instant expiresAt(PlaygroundSession session) {
    return session.lastUsedAt().plus(IDLE_EXPIRY);
  }

  private boolean expired(PlaygroundSession session) {
    Instant now = clock.instant();
    return !session.answering(now) && !expiresAt(session).isAfter(now);
  }

  private DryRunTools.Toolset toolset(PlaygroundSession session, AgentConfig agent) {
    if (agent == null) {
      return null;
    }
    return dryRunTools.forConversation(
        session.organisationId(),
        session.id(),
        agent.tools(),
        session.variables(),
        phone(session.variables()),
        (promptId, version) ->
            render(session.organisationId(), promptId, version, session.variables(), agent, true));
  }

  /**
   * Renders a prompt with the session's variables. At creation a missing required variable is the
   * request's error; for {@code switch_prompt} mid-conversation it renders empty, as on an inbound
   * call.
   */
  private RenderedPrompt render(
      UUID organisationId,
      UUID promptId,
      int version,
      Map<String, String> variables,
      AgentConfig agent,
      boolean fillMissing) {
    try {
      return prompts.render(organisationId, promptId, version, input(variables, agent));
    } catch (InvalidInputException missing) {
      if (!fillMissing) {
        throw missing;
      }
      Map<String, String> filled = new LinkedHashMap<>(variables);
      missing.fieldErrors().keySet().stream()
          .filter(field -> field.startsWith("variables."))
          .forEach(field -> filled.putIfAbsent(field.substring("variables.".length()), ""));
      return prompts.render(organisationId, promptId, version, input(filled, agent));
    }
  }

  private static RenderInput input(Map<String, String> variables, AgentConfig agent) {
    return new RenderInput(
        variables,
        variables.get("timezone"),
        agent == null ? null : agent.name(),
        agent == null ? null : agent.timeZone(),
        agent == null ? null : e164OrNull(agent.twilioNumber()),
        phone(variables));
  }

  private static String phone(Map<String, String> variables) {
    return e164OrNull(variables.get("phone"));
  }

  private static String e164OrNull(String number) {
    return number != null && number.matches("\\+[1-9][0-9]{6,14}") ? number : null;
  }

  private int version(UUID organisationId, UUID promptId, Integer requested, Integer pinned) {
    if (requested != null) {
      if (!prompts.hasVersion(organisationId, promptId, requested)) {
        throw new InvalidInputException("promptVersion", "the prompt has no version " + requested);
      }
      return requested;
    }
    if (pinned != null) {
      return pinned;
    }
    return prompts
        .currentVersion(organisationId, promptId)
        .orElseThrow(() -> new InvalidInputException("promptId", "no such prompt"));
  }

  private String provider(String requested, AgentConfig agent) {
    String provider =
        requested != null && !requested.isBlank()
            ? requested.strip()
            : agent != null ? agent.llm().provider() : LlmConfig.DEFAULT_PROVIDER;
    if (!providers.isKnown(ProviderKind.LLM, provider)) {
      throw new InvalidInputException(
          "provider",
          "is not a known LLM provider; known: "
              + String.join(", ", providers.ids(ProviderKind.LLM)));
    }
    return provider;
  }

  private static UUID id(String text, String field) {
    try {
      return UUID.fromString(text.strip());
    } catch (IllegalArgumentException notAnId) {
      throw new InvalidInputException(field, "must be an id (UUID)");
    }
  }

  /** Lead variables as text; nested values are refused, naming the variable. */
  private static Map<String, String> variables(Map<String, Object> given) {
    Map<String, String> variables = new LinkedHashMap<>();
    if (given == null) {
      return variables;
    }
    if (given.size() > MAX_VARIABLES) {
      throw new InvalidInputException("variables", "at most " + MAX_VARIABLES + " are taken");
    }
    Map<String, String> errors = new LinkedHashMap<>();
    given.forEach(
        (name, value) -> {
          String field = "variables." + name;
          switch (value) {
            case null -> {}
            case String text when text.length() > MAX_VARIABLE_LENGTH ->
                errors.put(field, "must be at most " + MAX_VARIABLE_LENGTH + " characters");
            case String text -> variables.put(name, text);
            case Number number -> variables.put(name, number.toString());
            case Boolean flag -> variables.put(name, flag.toString());
            default -> errors.put(field, "must be text, a number or true/false");
          }
        });
    if (!errors.isEmpty()) {
      throw new InvalidInputException(errors);
    }
    return variables;
  }
}
