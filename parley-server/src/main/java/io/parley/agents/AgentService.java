package io.parley.agents;

import io.parley.agents.AgentEvent.AgentDeleted;
import io.parley.agents.AgentEvent.AgentSaved;
import io.parley.providers.ProviderKind;
import io.parley.providers.ProviderRegistry;
import io.parley.shared.Actor;
import io.parley.shared.AuditEvent;
import io.parley.shared.ConflictException;
import io.parley.shared.NotFoundException;
import io.parley.shared.Page;
import io.parley.shared.PageRequest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.node.ObjectNode;

/**
 * Creates, changes and deletes agents. Each change is validated in full, written in one transaction
 * and audited in that same transaction.
 */
@Service
class AgentService {

  private final AgentRepository repository;
  private final AgentValidator validator;
  private final AgentJson json;
  private final ProviderRegistry providers;
  private final ApplicationEventPublisher events;
  private final ObjectProvider<NumberSyncStatus> numberSync;

  AgentService(
      AgentRepository repository,
      AgentValidator validator,
      AgentJson json,
      ProviderRegistry providers,
      ApplicationEventPublisher events,
      ObjectProvider<NumberSyncStatus> numberSync) {
    this.repository = repository;
    this.validator = validator;
    this.json = json;
    this.providers = providers;
    this.events = events;
    this.numberSync = numberSync;
  }

  @Transactional
  AgentView create(UUID organisationId, AgentConfig config, Actor actor) {
    validator.validate(organisationId, config);
    UUID id = UUID.randomUUID();
    ensureNumberFree(config.twilioNumber(), id);
    Instant now = now();
    StoredAgent agent = new StoredAgent(id, organisationId, config, 1, now, now, actor, actor);
    try {
      repository.insert(agent);
    } catch (DuplicateKeyException e) {
      throw numberTaken(config.twilioNumber());
    }
    Map<String, Object> details = new HashMap<>();
    details.put("name", config.name());
    details.put("version", agent.version());
    if (config.twilioNumber() != null) {
      details.put("twilioNumber", config.twilioNumber());
    }
    audit(actor, "agent.created", id, details);
    events.publishEvent(new AgentSaved(organisationId, id, 1, config.twilioNumber(), null));
    return view(agent);
  }

  @Transactional
  AgentView update(
      UUID organisationId, UUID id, int expectedVersion, AgentConfig config, Actor actor) {
    StoredAgent current = get(organisationId, id);
    validator.validate(organisationId, config);
    if (current.version() != expectedVersion) {
      throw stale();
    }
    ensureNumberFree(config.twilioNumber(), id);
    StoredAgent changed =
        new StoredAgent(
            id,
            organisationId,
            config,
            expectedVersion + 1,
            current.createdAt(),
            now(),
            current.createdBy(),
            actor);
    boolean written;
    try {
      written = repository.update(changed, expectedVersion);
    } catch (DuplicateKeyException e) {
      throw numberTaken(config.twilioNumber());
    }
    if (!written) {
      throw stale();
    }
    Map<String, Object> details = new HashMap<>();
    details.put("name", config.name());
    details.put("version", changed.version());
    details.put("changed", changedFields(current.config(), config));
    audit(actor, "agent.updated", id, details);
    events.publishEvent(
        new AgentSaved(
            organisationId,
            id,
            changed.version(),
            config.twilioNumber(),
            current.config().twilioNumber()));
    return view(changed);
  }

  @Transactional
  void delete(UUID organisationId, UUID id, Actor actor) {
    StoredAgent current = get(organisationId, id);
    if (!repository.softDelete(organisationId, id, actor, now())) {
      throw new NotFoundException("No agent " + id);
    }
    Map<String, Object> details = new HashMap<>();
    details.put("name", current.config().name());
    if (current.config().twilioNumber() != null) {
      details.put("releasedNumber", current.config().twilioNumber());
    }
    audit(actor, "agent.deleted", id, details);
    events.publishEvent(new AgentDeleted(organisationId, id, current.config().twilioNumber()));
  }

  @Transactional(readOnly = true)
  AgentView find(UUID organisationId, UUID id) {
    return view(get(organisationId, id));
  }

  @Transactional(readOnly = true)
  Page<AgentView> list(UUID organisationId, PageRequest request) {
    List<AgentView> items =
        repository.page(organisationId, request).stream().map(this::view).toList();
    return new Page<>(items, request.page(), request.size(), repository.count(organisationId));
  }

  private StoredAgent get(UUID organisationId, UUID id) {
    return repository
        .find(organisationId, id)
        .orElseThrow(() -> new NotFoundException("No agent " + id));
  }

  private void ensureNumberFree(String number, UUID self) {
    if (number != null && repository.numberOwner(number, self).isPresent()) {
      throw numberTaken(number);
    }
  }

  private static ConflictException numberTaken(String number) {
    return new ConflictException(
        "twilioNumber " + number + " already belongs to another agent; a number answers one agent");
  }

  private static ConflictException stale() {
    return new ConflictException(
        "The agent was changed by someone else (version mismatch); reload it and try again.");
  }

  private List<String> changedFields(AgentConfig before, AgentConfig after) {
    ObjectNode old = json.tree(before);
    ObjectNode now = json.tree(after);
    Set<String> names = new LinkedHashSet<>(old.propertyNames());
    names.addAll(now.propertyNames());
    List<String> changed = new ArrayList<>();
    for (String name : names) {
      if (!java.util.Objects.equals(old.get(name), now.get(name))) {
        changed.add(name);
      }
    }
    return changed;
  }

  private void audit(Actor actor, String action, UUID id, Map<String, Object> details) {
    events.publishEvent(
        new AuditEvent(actor.userId(), actor.email(), action, "agent", id.toString(), details));
  }

  private AgentView view(StoredAgent agent) {
    return new AgentView(
        agent.id(),
        agent.version(),
        agent.config(),
        agent.createdAt(),
        agent.updatedAt(),
        agent.createdBy(),
        agent.updatedBy(),
        status(agent));
  }

  private AgentStatus status(StoredAgent agent) {
    AgentConfig config = agent.config();
    List<String> missing = new ArrayList<>();
    unconfigured(ProviderKind.LLM, config.llm() == null ? null : config.llm().provider(), missing);
    unconfigured(ProviderKind.STT, config.stt().provider(), missing);
    unconfigured(
        ProviderKind.TTS, config.voice() == null ? null : config.voice().provider(), missing);
    if (config.fallbackVoice() != null) {
      unconfigured(ProviderKind.TTS, config.fallbackVoice().provider(), missing);
    }
    if (config.twilioNumber() != null) {
      unconfigured(ProviderKind.TELEPHONY, ProviderRegistry.TWILIO, missing);
    }
    return new AgentStatus(numberSync(agent), List.copyOf(missing));
  }

  private String numberSync(StoredAgent agent) {
    String number = agent.config().twilioNumber();
    if (number == null) {
      return "none";
    }
    if (!providers.isConfigured(ProviderKind.TELEPHONY, ProviderRegistry.TWILIO)) {
      return "not_configured";
    }
    NumberSyncStatus store = numberSync.getIfAvailable();
    return store == null
        ? "pending"
        : store.numberSync(agent.organisationId(), agent.id(), number).orElse("pending");
  }

  private void unconfigured(ProviderKind kind, String id, List<String> missing) {
    String label = kind.name().toLowerCase(Locale.ROOT) + ":" + id;
    if (id != null && !providers.isConfigured(kind, id) && !missing.contains(label)) {
      missing.add(label);
    }
  }

  // Truncated to what both databases store, so a response equals what a later read returns.
  private static Instant now() {
    return Instant.now().truncatedTo(ChronoUnit.MICROS);
  }
}
