package io.parley.dialing;

import io.parley.shared.Actor;
import io.parley.shared.Organisations;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import java.net.URI;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.node.ObjectNode;

/**
 * Places and ends outbound calls. Reading the history stays with the calls module ({@code GET
 * /api/calls}); these are the two writes.
 */
@RestController
@RequestMapping("/api/calls")
class DialController {

  static final String IDEMPOTENCY_KEY = "Idempotency-Key";

  private final Dialer dialer;
  private final CallHangUp hangUp;

  DialController(Dialer dialer, CallHangUp hangUp) {
    this.dialer = dialer;
    this.hangUp = hangUp;
  }

  /** 201 with the new call; 200 with the earlier one when the idempotency key was used. */
  @PostMapping
  @PreAuthorize("hasRole('OPERATOR')")
  ResponseEntity<CallView> dial(
      // Read field by field (DialRequest.parse); the document shows the shape.
      @io.swagger.v3.oas.annotations.parameters.RequestBody(
              content = @Content(schema = @Schema(implementation = DialRequest.class)))
          @RequestBody
          ObjectNode body,
      @RequestHeader(name = IDEMPOTENCY_KEY, required = false) String idempotencyKey) {
    Dialer.Dialled dialled =
        dialer.dial(
            Organisations.DEFAULT_ID, DialRequest.parse(body), idempotencyKey, Actor.current());
    return ResponseEntity.status(dialled.created() ? HttpStatus.CREATED : HttpStatus.OK)
        .location(URI.create("/api/calls/" + dialled.call().id()))
        .body(CallView.of(dialled.call()));
  }

  @PostMapping("/{id}/hangup")
  @PreAuthorize("hasRole('OPERATOR')")
  CallView hangUp(@PathVariable UUID id) {
    return CallView.of(hangUp.hangUp(Organisations.DEFAULT_ID, id, Actor.current()));
  }
}
