package io.parley.sms;

import io.parley.shared.Actor;
import io.parley.shared.InvalidInputException;
import io.parley.shared.Organisations;
import io.parley.shared.Page;
import io.parley.shared.PageRequest;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.node.ObjectNode;

/** Sends and lists text messages, and shows the conversation (texts and calls) with a number. */
@RestController
class MessageController {

  private final TextService texts;
  private final MessageRepository messages;
  private final Conversations conversations;

  MessageController(TextService texts, MessageRepository messages, Conversations conversations) {
    this.texts = texts;
    this.messages = messages;
    this.conversations = conversations;
  }

  @PostMapping("/api/messages")
  @PreAuthorize("hasRole('OPERATOR')")
  @Operation(
      summary =
          "Sends a text from the agent's number after the compliance gate (do-not-call, calling"
              + " window in the recipient's zone): 201 with the message; 200 with the earlier one"
              + " when the Idempotency-Key was used")
  ResponseEntity<TextMessage> send(
      @io.swagger.v3.oas.annotations.parameters.RequestBody(
              content = @Content(schema = @Schema(implementation = SendRequest.class)))
          @RequestBody
          ObjectNode body,
      @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey) {
    TextService.Sent sent =
        texts.send(
            Organisations.DEFAULT_ID, SendRequest.parse(body), idempotencyKey, Actor.current());
    return ResponseEntity.status(sent.created() ? HttpStatus.CREATED : HttpStatus.OK)
        .location(URI.create("/api/messages/" + sent.message().id()))
        .body(sent.message());
  }

  @GetMapping("/api/messages")
  @PreAuthorize("hasRole('VIEWER')")
  @Operation(summary = "Text messages, newest first, filtered and paged")
  Page<TextMessage> list(
      @RequestParam(required = false) String number,
      @RequestParam(required = false) String direction,
      @RequestParam(required = false) String status,
      @RequestParam(required = false) String agentId,
      @RequestParam(required = false) String from,
      @RequestParam(required = false) String to,
      @RequestParam(required = false) String page,
      @RequestParam(required = false) String size) {
    MessageQuery query =
        MessageQuery.parse(number, direction, status, agentId, from, to, page, size);
    UUID org = Organisations.DEFAULT_ID;
    return new Page<>(
        messages.page(org, query.filter(), query.page()),
        query.page().page(),
        query.page().size(),
        messages.count(org, query.filter()));
  }

  @GetMapping("/api/messages/{id}")
  @PreAuthorize("hasRole('VIEWER')")
  TextMessage get(@PathVariable UUID id) {
    return texts.find(Organisations.DEFAULT_ID, id);
  }

  @GetMapping("/api/conversations/{number}")
  @PreAuthorize("hasRole('VIEWER')")
  @Operation(
      summary =
          "The texts and calls with a number (either party), in time order (order=desc for the"
              + " latest first), paged")
  Page<ConversationItem> conversation(
      @PathVariable String number,
      @RequestParam(required = false) String order,
      @RequestParam(required = false) String page,
      @RequestParam(required = false) String size) {
    Map<String, String> errors = new LinkedHashMap<>();
    String party =
        MessageQuery.parsed(
            "number",
            number,
            n -> MessageQuery.NUMBER.matcher(n).matches() ? n : null,
            "must be a number as Twilio names it (E.164 such as +14155550100), up to 64"
                + " characters",
            errors);
    Boolean newest =
        MessageQuery.parsed(
            "order",
            order,
            o -> o.equals("asc") ? Boolean.FALSE : o.equals("desc") ? Boolean.TRUE : null,
            "must be asc (oldest first, the default) or desc",
            errors);
    Integer p = MessageQuery.integer("page", page, errors);
    Integer s = MessageQuery.integer("size", size, errors);
    if (p != null && p < 0) {
      errors.put("page", "must be 0 or more");
    }
    if (s != null && (s < 1 || s > PageRequest.MAX_SIZE)) {
      errors.put("size", "must be between 1 and " + PageRequest.MAX_SIZE);
    }
    if (party == null && !errors.containsKey("number")) {
      errors.put("number", "is required");
    }
    if (!errors.isEmpty()) {
      throw new InvalidInputException(errors);
    }
    return conversations.with(
        Organisations.DEFAULT_ID, party, Boolean.TRUE.equals(newest), PageRequest.of(p, s));
  }
}
