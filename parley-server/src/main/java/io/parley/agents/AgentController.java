package io.parley.agents;

import io.parley.shared.Actor;
import io.parley.shared.InvalidInputException;
import io.parley.shared.Organisations;
import io.parley.shared.Page;
import io.parley.shared.PageRequest;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
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
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The agents API. Bodies arrive as JSON trees and are read by {@link AgentJson}, so that a wrong
 * type or an unknown field is reported as 422 naming the field, like every other rule.
 */
@RestController
@RequestMapping("/api/agents")
class AgentController {

  private final AgentService agents;
  private final AgentJson json;

  AgentController(AgentService agents, AgentJson json) {
    this.agents = agents;
    this.json = json;
  }

  @PostMapping
  @PreAuthorize("hasRole('OPERATOR')")
  ResponseEntity<AgentView> create(
      @io.swagger.v3.oas.annotations.parameters.RequestBody(
              content = @Content(schema = @Schema(implementation = AgentConfig.class)))
          @RequestBody
          ObjectNode body) {
    AgentView created = agents.create(Organisations.DEFAULT_ID, json.read(body), Actor.current());
    return ResponseEntity.created(URI.create("/api/agents/" + created.id())).body(created);
  }

  @GetMapping
  @PreAuthorize("hasRole('VIEWER')")
  Page<AgentView> list(
      @RequestParam(required = false) Integer page, @RequestParam(required = false) Integer size) {
    return agents.list(Organisations.DEFAULT_ID, PageRequest.of(page, size));
  }

  @GetMapping("/{id}")
  @PreAuthorize("hasRole('VIEWER')")
  AgentView get(@PathVariable UUID id) {
    return agents.find(Organisations.DEFAULT_ID, id);
  }

  /** Replaces the whole configuration; {@code version} must be the one last read. */
  @PutMapping("/{id}")
  @PreAuthorize("hasRole('OPERATOR')")
  AgentView update(
      @PathVariable UUID id,
      @io.swagger.v3.oas.annotations.parameters.RequestBody(
              content = @Content(schema = @Schema(implementation = AgentConfig.class)))
          @RequestBody
          ObjectNode body) {
    JsonNode version = body.get("version");
    if (version == null || !version.isIntegralNumber() || !version.canConvertToInt()) {
      throw new InvalidInputException(
          "version", "is required: the version of the agent this edit is based on");
    }
    return agents.update(
        Organisations.DEFAULT_ID, id, version.intValue(), json.read(body), Actor.current());
  }

  @DeleteMapping("/{id}")
  @PreAuthorize("hasRole('SUPERVISOR')")
  ResponseEntity<Void> delete(@PathVariable UUID id) {
    agents.delete(Organisations.DEFAULT_ID, id, Actor.current());
    return ResponseEntity.noContent().build();
  }
}
