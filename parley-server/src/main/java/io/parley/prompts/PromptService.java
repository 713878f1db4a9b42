package io.parley.prompts;

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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Prompts and their versions: every save inserts a new immutable version, edits must start from the
 * current version, deletes are soft so the versions stay readable.
 */
@Service
@Transactional
class PromptService implements PromptCatalog {

  static final String TARGET = "prompt";

  private final PromptRepository repository;
  private final ApplicationEventPublisher events;
  private final Clock clock;
  private final PromptRenderer renderer;

  // The clock is optional: another module may define one (tests use a fixed one); without a
  // single Clock bean the system clock in UTC is used.
  PromptService(
      PromptRepository repository, ApplicationEventPublisher events, ObjectProvider<Clock> clocks) {
    this.repository = repository;
    this.events = events;
    this.clock = clocks.getIfUnique(Clock::systemUTC);
    this.renderer = new PromptRenderer(clock);
  }

  /** What a create request carries. */
  record NewPrompt(
      String name,
      String description,
      String content,
      List<VariableRequest> variables,
      String note) {}

  /**
   * What an edit carries; null name, description or variables keep the current ones.
   *
   * @param baseVersion the version the edit started from
   */
  record PromptEdit(
      Integer baseVersion,
      String name,
      String description,
      String content,
      List<VariableRequest> variables,
      String note) {}

  PromptDetails create(UUID organisationId, Actor actor, NewPrompt request) {
    List<PromptVariable> variables =
        request.variables() == null ? List.of() : VariableRequest.toVariables(request.variables());
    String description = blankToNull(request.description());
    String note = blankToNull(request.note());
    PromptRules.check(
        new PromptRules.Draft(request.name(), description, request.content(), variables, note));
    UUID id = UUID.randomUUID();
    requireFreeName(organisationId, request.name().strip(), id);
    Instant now = now();
    PromptRepository.PromptRow row =
        new PromptRepository.PromptRow(
            id, request.name().strip(), description, 1, now, actor.userId(), actor.email(), now);
    PromptVersion first =
        new PromptVersion(
            row.id(), 1, request.content(), variables, note, actor.userId(), actor.email(), now);
    repository.insertPrompt(organisationId, row);
    repository.insertVersion(organisationId, first);
    audit(actor, "prompt.created", row.id(), Map.of("name", row.name(), "version", 1));
    return PromptDetails.of(row, first);
  }

  PromptDetails update(UUID organisationId, Actor actor, UUID promptId, PromptEdit edit) {
    Integer baseVersion = edit.baseVersion();
    if (baseVersion == null || baseVersion < 1) {
      throw new InvalidInputException(
          "baseVersion", "must name the version the edit started from (1 or more)");
    }
    PromptRepository.PromptRow row = live(organisationId, promptId);
    PromptVersion current = version(organisationId, promptId, row.currentVersion());
    String name = edit.name() == null ? row.name() : edit.name().strip();
    String description =
        edit.description() == null ? row.description() : blankToNull(edit.description());
    List<PromptVariable> variables =
        edit.variables() == null
            ? current.variables()
            : VariableRequest.toVariables(edit.variables());
    String note = blankToNull(edit.note());
    PromptRules.check(
        new PromptRules.Draft(
            edit.name() == null ? row.name() : edit.name(),
            description,
            edit.content(),
            variables,
            note));
    if (baseVersion != row.currentVersion()) {
      throw stale(baseVersion, row.currentVersion());
    }
    if (!name.equals(row.name())) {
      requireFreeName(organisationId, name, promptId);
    }
    Instant now = now();
    // The conditional update is what serialises concurrent edits: only one of them moves the
    // prompt from baseVersion, the others match no row.
    if (!repository.advance(organisationId, promptId, baseVersion, name, description, now)) {
      int latest =
          repository
              .lockCurrentVersion(organisationId, promptId)
              .orElseThrow(() -> notFound(promptId));
      throw stale(baseVersion, latest);
    }
    PromptVersion next =
        new PromptVersion(
            promptId,
            baseVersion + 1,
            edit.content(),
            variables,
            note,
            actor.userId(),
            actor.email(),
            now);
    repository.insertVersion(organisationId, next);
    audit(
        actor,
        "prompt.updated",
        promptId,
        Map.of("name", name, "fromVersion", baseVersion, "version", next.number()));
    PromptRepository.PromptRow updated =
        new PromptRepository.PromptRow(
            promptId,
            name,
            description,
            next.number(),
            row.createdAt(),
            row.createdById(),
            row.createdByEmail(),
            now);
    return PromptDetails.of(updated, next);
  }

  void delete(UUID organisationId, Actor actor, UUID promptId) {
    PromptRepository.PromptRow row = live(organisationId, promptId);
    if (!repository.softDelete(organisationId, promptId, now())) {
      throw notFound(promptId);
    }
    audit(
        actor,
        "prompt.deleted",
        promptId,
        Map.of("name", row.name(), "version", row.currentVersion()));
  }

  @Transactional(readOnly = true)
  PromptDetails get(UUID organisationId, UUID promptId) {
    PromptRepository.PromptRow row = live(organisationId, promptId);
    return PromptDetails.of(row, version(organisationId, promptId, row.currentVersion()));
  }

  @Transactional(readOnly = true)
  Page<PromptSummary> list(UUID organisationId, String query, PageRequest page) {
    if (query != null && query.length() > PromptRules.NAME_MAX) {
      throw new InvalidInputException(
          "q", "must be at most " + PromptRules.NAME_MAX + " characters");
    }
    List<PromptSummary> items =
        repository.findLive(organisationId, query, page.size(), page.offset()).stream()
            .map(PromptSummary::of)
            .toList();
    return new Page<>(items, page.page(), page.size(), repository.countLive(organisationId, query));
  }

  @Transactional(readOnly = true)
  Page<PromptRepository.VersionSummary> versions(
      UUID organisationId, UUID promptId, PageRequest page) {
    PromptRepository.PromptRow row = live(organisationId, promptId);
    return new Page<>(
        repository.findVersions(organisationId, promptId, page.size(), page.offset()),
        page.page(),
        page.size(),
        row.currentVersion());
  }

  @Transactional(readOnly = true)
  PromptVersion liveVersion(UUID organisationId, UUID promptId, int number) {
    live(organisationId, promptId);
    return version(organisationId, promptId, number);
  }

  @Transactional(readOnly = true)
  PromptDiff diff(UUID organisationId, UUID promptId, Integer from, Integer to) {
    PromptRepository.PromptRow row = live(organisationId, promptId);
    Map<String, String> errors = new LinkedHashMap<>();
    checkVersionParameter(errors, "from", from, row.currentVersion());
    checkVersionParameter(errors, "to", to, row.currentVersion());
    if (!errors.isEmpty()) {
      throw new InvalidInputException(errors);
    }
    return PromptDiff.of(
        promptId, version(organisationId, promptId, from), version(organisationId, promptId, to));
  }

  @Override
  @Transactional(readOnly = true)
  public boolean exists(UUID organisationId, UUID promptId) {
    return repository.findLive(organisationId, promptId).isPresent();
  }

  @Override
  @Transactional(readOnly = true)
  public boolean hasVersion(UUID organisationId, UUID promptId, int versionNumber) {
    return repository
        .findLive(organisationId, promptId)
        .filter(row -> versionNumber >= 1 && versionNumber <= row.currentVersion())
        .isPresent();
  }

  @Override
  @Transactional(readOnly = true)
  public Optional<Integer> currentVersion(UUID organisationId, UUID promptId) {
    return repository
        .findLive(organisationId, promptId)
        .map(PromptRepository.PromptRow::currentVersion);
  }

  @Override
  @Transactional(readOnly = true)
  public Optional<PromptVersion> findVersion(
      UUID organisationId, UUID promptId, int versionNumber) {
    return repository.findVersion(organisationId, promptId, versionNumber);
  }

  @Override
  @Transactional(readOnly = true)
  public RenderedPrompt render(
      UUID organisationId, UUID promptId, int versionNumber, RenderInput input) {
    PromptVersion version = liveVersion(organisationId, promptId, versionNumber);
    return renderer.render(version, input == null ? RenderInput.of(Map.of()) : input);
  }

  private static void checkVersionParameter(
      Map<String, String> errors, String field, Integer number, int current) {
    if (number == null) {
      errors.put(field, "is required");
    } else if (number < 1 || number > current) {
      errors.put(field, "must be a version of this prompt, from 1 to " + current);
    }
  }

  // A unique index backs this check; the check is here to name the clash instead of a bare 409.
  private void requireFreeName(UUID organisationId, String name, UUID promptId) {
    if (repository.nameTaken(organisationId, name, promptId)) {
      throw new ConflictException("Another prompt is already named '" + name + "'.");
    }
  }

  private PromptRepository.PromptRow live(UUID organisationId, UUID promptId) {
    return repository.findLive(organisationId, promptId).orElseThrow(() -> notFound(promptId));
  }

  private PromptVersion version(UUID organisationId, UUID promptId, int number) {
    return repository
        .findVersion(organisationId, promptId, number)
        .orElseThrow(
            () -> new NotFoundException("Prompt " + promptId + " has no version " + number));
  }

  private void audit(Actor actor, String action, UUID promptId, Map<String, Object> details) {
    events.publishEvent(
        new AuditEvent(
            actor.userId(), actor.email(), action, TARGET, promptId.toString(), details));
  }

  // Timestamps are cut to what both databases keep (microseconds), so a value returned by a
  // write equals the value read back later.
  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }

  private static ConflictException stale(int baseVersion, int currentVersion) {
    return new ConflictException(
        "The edit started from version "
            + baseVersion
            + " but the current version is "
            + currentVersion
            + "; reload the prompt and apply the change to version "
            + currentVersion
            + ".");
  }

  private static NotFoundException notFound(UUID promptId) {
    return new NotFoundException("No prompt " + promptId);
  }

  private static String blankToNull(String text) {
    return text == null || text.isBlank() ? null : text;
  }
}
