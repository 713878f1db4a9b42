package io.parley.webhooks;

import io.parley.shared.Actor;
import io.parley.shared.Organisations;
import io.parley.shared.Page;
import io.parley.shared.PageRequest;
import java.util.UUID;
import org.springframework.http.HttpStatus;
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

/** Webhook endpoints and their delivery logs; ADMIN only. See docs/webhooks.md. */
@RestController
@RequestMapping("/api/webhooks")
@PreAuthorize("hasRole('ADMIN')")
class WebhookController {

  private final EndpointService service;

  WebhookController(EndpointService service) {
    this.service = service;
  }

  /** Registers an endpoint. The answer's {@code secret} is shown this once. */
  @PostMapping
  ResponseEntity<WebhookEndpoint> create(@RequestBody EndpointRequest request) {
    return ResponseEntity.status(HttpStatus.CREATED)
        .body(service.create(Organisations.DEFAULT_ID, request, Actor.current()));
  }

  @GetMapping
  Page<WebhookEndpoint> list(
      @RequestParam(required = false) Integer page, @RequestParam(required = false) Integer size) {
    return service.list(Organisations.DEFAULT_ID, PageRequest.of(page, size));
  }

  @GetMapping("/{id}")
  WebhookEndpoint get(@PathVariable UUID id) {
    return service.get(Organisations.DEFAULT_ID, id);
  }

  /** Replaces the URL, event types and description; {@code enabled} disables or re-enables it. */
  @PutMapping("/{id}")
  WebhookEndpoint update(@PathVariable UUID id, @RequestBody EndpointRequest request) {
    return service.update(Organisations.DEFAULT_ID, id, request, Actor.current());
  }

  /** A new secret, effective at once and shown this once. */
  @PostMapping("/{id}/secret")
  WebhookEndpoint rotateSecret(@PathVariable UUID id) {
    return service.rotateSecret(Organisations.DEFAULT_ID, id, Actor.current());
  }

  @DeleteMapping("/{id}")
  ResponseEntity<Void> delete(@PathVariable UUID id) {
    service.delete(Organisations.DEFAULT_ID, id, Actor.current());
    return ResponseEntity.noContent().build();
  }

  /** The delivery log: every attempt, newest first. */
  @GetMapping("/{id}/deliveries")
  Page<DeliveryAttempt> deliveries(
      @PathVariable UUID id,
      @RequestParam(required = false) Integer page,
      @RequestParam(required = false) Integer size) {
    return service.attempts(Organisations.DEFAULT_ID, id, PageRequest.of(page, size));
  }
}
