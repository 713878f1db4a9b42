package io.parley.prompts;

import io.parley.shared.Actor;
import io.parley.shared.Organisations;
import io.parley.shared.Page;
import io.parley.shared.PageRequest;
import java.net.URI;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The prompts API: viewers read and render, operators create and edit, supervisors delete. */
@RestController
@RequestMapping("/api/prompts")
class PromptController {

  private final PromptService prompts;

  PromptController(PromptService prompts) {
    this.prompts = prompts;
  }

  @PostMapping
  @PreAuthorize("hasRole('OPERATOR')")
  ResponseEntity<PromptDetails> create(@RequestBody PromptService.NewPrompt request) {
    PromptDetails created = prompts.create(Organisations.DEFAULT_ID, Actor.current(), request);
    return ResponseEntity.created(URI.create("/api/prompts/" + created.id())).body(created);
  }

  @GetMapping
  @PreAuthorize("hasRole('VIEWER')")
  Page<PromptSummary> list(
      @RequestParam(required = false) Integer page,
      @RequestParam(required = false) Integer size,
      @RequestParam(required = false) String q) {
    return prompts.list(Organisations.DEFAULT_ID, q, PageRequest.of(page, size));
  }

  @GetMapping("/{id}")
  @PreAuthorize("hasRole('VIEWER')")
  PromptDetails get(@PathVariable UUID id) {
    return prompts.get(Organisations.DEFAULT_ID, id);
  }

  @PutMapping("/{id}")
  @PreAuthorize("hasRole('OPERATOR')")
  PromptDetails update(@PathVariable UUID id, @RequestBody PromptService.PromptEdit edit) {
    return prompts.update(Organisations.DEFAULT_ID, Actor.current(), id, edit);
  }

  @DeleteMapping("/{id}")
  @PreAuthorize("hasRole('SUPERVISOR')")
  ResponseEntity<Void> delete(@PathVariable UUID id) {
    prompts.delete(Organisations.DEFAULT_ID, Actor.current(), id);
    return ResponseEntity.noContent().build();
  }

  @GetMapping("/{id}/versions")
  @PreAuthorize("hasRole('VIEWER')")
  Page<PromptRepository.VersionSummary> versions(
      @PathVariable UUID id,
      @RequestParam(required = false) Integer page,
      @RequestParam(required = false) Integer size) {
    return prompts.versions(Organisations.DEFAULT_ID, id, PageRequest.of(page, size));
  }

  @GetMapping("/{id}/versions/{number}")
  @PreAuthorize("hasRole('VIEWER')")
  PromptVersion version(@PathVariable UUID id, @PathVariable int number) {
    return prompts.liveVersion(Organisations.DEFAULT_ID, id, number);
  }

  @GetMapping("/{id}/diff")
  @PreAuthorize("hasRole('VIEWER')")
  PromptDiff diff(
      @PathVariable UUID id,
      @RequestParam(required = false) Integer from,
      @RequestParam(required = false) Integer to) {
    return prompts.diff(Organisations.DEFAULT_ID, id, from, to);
  }

  @PostMapping("/{id}/versions/{number}/render")
  @PreAuthorize("hasRole('VIEWER')")
  RenderedPrompt render(
      @PathVariable UUID id, @PathVariable int number, @RequestBody RenderInput input) {
    return prompts.render(Organisations.DEFAULT_ID, id, number, input);
  }
}
