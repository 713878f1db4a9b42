package io.parley.prompts;

import io.parley.shared.Actor;
import io.parley.shared.Organisations;
import io.parley.shared.Page;
import io.parley.shared.PageRequest;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Prompts for other modules' pages (the web console): the same service, checks and audit as the
 * REST API, in the default organisation. Who may call what is the caller's to enforce.
 */
@Component
public class Prompts {

  /** A version in a prompt's history (no content). */
  public record VersionInfo(int number, String note, String authorEmail, Instant createdAt) {}

  private final PromptService service;

  Prompts(PromptService service) {
    this.service = service;
  }

  /** One page of the prompts whose name contains the query (null for all), by name. */
  public Page<PromptSummary> list(String query, int page, int size) {
    return service.list(Organisations.DEFAULT_ID, query, PageRequest.of(page, size));
  }

  public PromptDetails get(UUID promptId) {
    return service.get(Organisations.DEFAULT_ID, promptId);
  }

  /**
   * Saves a new prompt as version 1.
   *
   * @throws io.parley.shared.InvalidInputException naming fields as the API does ({@code name},
   *     {@code content}, {@code variables[0].name}, …)
   * @throws io.parley.shared.ConflictException when the name is taken
   */
  public PromptDetails create(
      Actor actor,
      String name,
      String description,
      String content,
      List<PromptVariable> variables,
      String note) {
    return service.create(
        Organisations.DEFAULT_ID,
        actor,
        new PromptService.NewPrompt(name, description, content, requests(variables), note));
  }

  /** Saves the next version; {@code baseVersion} is the version the edit started from. */
  public PromptDetails update(
      Actor actor,
      UUID promptId,
      int baseVersion,
      String name,
      String description,
      String content,
      List<PromptVariable> variables,
      String note) {
    return service.update(
        Organisations.DEFAULT_ID,
        actor,
        promptId,
        new PromptService.PromptEdit(
            baseVersion, name, description, content, requests(variables), note));
  }

  /** The prompt's versions, newest first (at most 100). */
  public List<VersionInfo> versions(UUID promptId) {
    return service
        .versions(Organisations.DEFAULT_ID, promptId, PageRequest.of(0, 100))
        .items()
        .stream()
        .map(v -> new VersionInfo(v.number(), v.note(), v.authorEmail(), v.createdAt()))
        .toList();
  }

  public PromptVersion version(UUID promptId, int number) {
    return service.liveVersion(Organisations.DEFAULT_ID, promptId, number);
  }

  /**
   * The change from one version to another; null or out-of-range numbers name {@code from}/{@code
   * to}.
   */
  public PromptDiff diff(UUID promptId, Integer from, Integer to) {
    return service.diff(Organisations.DEFAULT_ID, promptId, from, to);
  }

  /**
   * Renders a version with lead values; a missing required one is {@code variables.<name>}, a
   * built-in the content uses without a value names its input field ({@code agentName}, …).
   */
  public RenderedPrompt render(UUID promptId, int version, RenderInput input) {
    return service.render(Organisations.DEFAULT_ID, promptId, version, input);
  }

  private static List<VariableRequest> requests(List<PromptVariable> variables) {
    return variables == null
        ? null
        : variables.stream()
            .map(
                v -> new VariableRequest(v.name(), v.required(), v.defaultValue(), v.description()))
            .toList();
  }
}
