package io.parley.webhooks;

import io.parley.shared.Actor;
import io.parley.shared.AuditEvent;
import io.parley.shared.InvalidInputException;
import io.parley.shared.NotFoundException;
import io.parley.shared.Page;
import io.parley.shared.PageRequest;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Registering, changing and reading endpoints; every change is written and audited together. */
@Service
class EndpointService {

  static final int MAX_EVENT_TYPES = 20;
  static final int MAX_DESCRIPTION = 200;

  private final EndpointRepository endpoints;
  private final OutboxRepository outbox;
  private final WebhookSecrets secrets;
  private final WebhookTargets targets;
  private final ApplicationEventPublisher events;
  private final Clock clock;

  EndpointService(
      EndpointRepository endpoints,
      OutboxRepository outbox,
      WebhookSecrets secrets,
      WebhookSettings settings,
      ApplicationEventPublisher events,
      Clock clock) {
    this.endpoints = endpoints;
    this.outbox = outbox;
    this.secrets = secrets;
    this.targets = new WebhookTargets(settings.allowLoopback());
    this.events = events;
    this.clock = clock;
  }

  /** Registers an endpoint; the answer carries its secret, which is never shown again. */
  @Transactional
  WebhookEndpoint create(UUID organisationId, EndpointRequest request, Actor actor) {
    Valid valid = validate(request);
    UUID id = UUID.randomUUID();
    String secret = secrets.generate();
    endpoints.insert(
        organisationId,
        id,
        valid.url(),
        valid.description(),
        valid.eventTypes(),
        secrets.seal(id, secret),
        actor.userId(),
        now());
    audit(actor, "webhook.created", id, valid, null);
    return get(organisationId, id).withSecret(secret);
  }

  @Transactional
  WebhookEndpoint update(UUID organisationId, UUID id, EndpointRequest request, Actor actor) {
    WebhookEndpoint current = get(organisationId, id);
    Valid valid = validate(request);
    boolean enabled = request.enabled() == null ? current.enabled() : request.enabled();
    endpoints.update(
        organisationId, id, valid.url(), valid.description(), valid.eventTypes(), enabled, now());
    audit(actor, "webhook.updated", id, valid, enabled);
    return get(organisationId, id);
  }

  /** A new secret replaces the old one at once; the answer carries it, shown this once. */
  @Transactional
  WebhookEndpoint rotateSecret(UUID organisationId, UUID id, Actor actor) {
    get(organisationId, id);
    String secret = secrets.generate();
    endpoints.replaceSecret(organisationId, id, secrets.seal(id, secret), now());
    events.publishEvent(
        new AuditEvent(
            actor.userId(),
            actor.email(),
            "webhook.secret_rotated",
            "webhook_endpoint",
            id.toString(),
            Map.of()));
    return get(organisationId, id).withSecret(secret);
  }

  /** Deletes the endpoint with its deliveries and their log; pending attempts are dropped. */
  @Transactional
  void delete(UUID organisationId, UUID id, Actor actor) {
    WebhookEndpoint current = get(organisationId, id);
    endpoints.delete(organisationId, id);
    events.publishEvent(
        new AuditEvent(
            actor.userId(),
            actor.email(),
            "webhook.deleted",
            "webhook_endpoint",
            id.toString(),
            Map.of("url", current.url())));
  }

  @Transactional(readOnly = true)
  WebhookEndpoint get(UUID organisationId, UUID id) {
    return endpoints
        .find(organisationId, id)
        .orElseThrow(() -> new NotFoundException("No webhook endpoint " + id));
  }

  @Transactional(readOnly = true)
  Page<WebhookEndpoint> list(UUID organisationId, PageRequest page) {
    return new Page<>(
        endpoints.list(organisationId, page),
        page.page(),
        page.size(),
        endpoints.count(organisationId));
  }

  /** The endpoint's delivery log, newest attempt first. */
  @Transactional(readOnly = true)
  Page<DeliveryAttempt> attempts(UUID organisationId, UUID id, PageRequest page) {
    get(organisationId, id);
    return new Page<>(
        outbox.attempts(id, page), page.page(), page.size(), outbox.countAttempts(id));
  }

  private record Valid(String url, List<String> eventTypes, String description) {}

  private Valid validate(EndpointRequest request) {
    if (request == null) {
      throw new InvalidInputException("body", "is required");
    }
    Map<String, String> errors = new LinkedHashMap<>();
    String url = request.url() == null ? null : request.url().strip();
    Optional<String> urlProblem =
        targets.urlProblem(url).or(() -> targets.addressProblem(url).map(p -> "is refused: " + p));
    urlProblem.ifPresent(problem -> errors.put("url", problem));
    List<String> types = eventTypes(request.eventTypes(), errors);
    String description = request.description();
    if (description != null) {
      description = description.strip();
      if (description.length() > MAX_DESCRIPTION) {
        errors.put("description", "must be at most " + MAX_DESCRIPTION + " characters");
      }
      description = description.isEmpty() ? null : description;
    }
    if (!errors.isEmpty()) {
      throw new InvalidInputException(errors);
    }
    return new Valid(url, types, description);
  }

  private static List<String> eventTypes(List<String> requested, Map<String, String> errors) {
    if (requested == null || requested.isEmpty()) {
      errors.put("eventTypes", "must name at least one event type");
      return List.of();
    }
    if (requested.size() > MAX_EVENT_TYPES) {
      errors.put("eventTypes", "must name at most " + MAX_EVENT_TYPES + " event types");
      return List.of();
    }
    Set<String> types = new LinkedHashSet<>();
    List<String> unknown = new ArrayList<>();
    for (String type : requested) {
      String name = type == null ? "" : type.strip();
      if (WebhookEventType.parse(name).isPresent()
          || WebhookEventType.ALL_CAMPAIGN_EVENTS.equals(name)) {
        types.add(name);
      } else {
        unknown.add(String.valueOf(type));
      }
    }
    if (!unknown.isEmpty()) {
      List<String> known = new ArrayList<>();
      for (WebhookEventType t : WebhookEventType.values()) {
        known.add(t.wire());
      }
      known.add(WebhookEventType.ALL_CAMPAIGN_EVENTS);
      errors.put(
          "eventTypes",
          "unknown event type(s) " + unknown + "; known: " + String.join(", ", known));
    }
    return List.copyOf(types);
  }

  private void audit(Actor actor, String action, UUID id, Valid valid, Boolean enabled) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("url", valid.url());
    details.put("eventTypes", valid.eventTypes());
    if (enabled != null) {
      details.put("enabled", enabled);
    }
    events.publishEvent(
        new AuditEvent(
            actor.userId(), actor.email(), action, "webhook_endpoint", id.toString(), details));
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }
}
