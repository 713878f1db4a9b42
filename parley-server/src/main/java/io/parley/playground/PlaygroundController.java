package io.parley.playground;

import io.parley.auth.SignIns;
import io.parley.shared.NotFoundException;
import io.parley.tickets.TicketHolder;
import io.parley.tickets.TicketPurpose;
import io.parley.tickets.Tickets;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code /api/playground/sessions}: typed conversations with an agent before it goes live
 * (OPERATOR). A message is answered as a stream of server-sent events, either in the response to
 * its {@code POST} (with {@code Accept: text/event-stream}, for clients that send a bearer header)
 * or from {@code GET …/reply?ticket=} (an {@code EventSource}, with a {@code playground-reply}
 * ticket naming the session).
 */
@RestController
@RequestMapping("/api/playground/sessions")
class PlaygroundController {

  private final PlaygroundService playground;
  private final SignIns signIns;
  private final Tickets tickets;
  private final JsonMapper json;
  private final Clock clock;

  PlaygroundController(
      PlaygroundService playground,
      SignIns signIns,
      Tickets tickets,
      JsonMapper json,
      Clock clock) {
    this.playground = playground;
    this.signIns = signIns;
    this.tickets = tickets;
    this.json = json;
    this.clock = clock;
  }

  record MessageRequest(String text) {}

  /** Where the reply to an accepted message is streamed from. */
  record MessageAccepted(String reply, String ticketPurpose) {}

  @PostMapping
  @PreAuthorize("hasRole('OPERATOR')")
  @Operation(
      summary =
          "Starts a playground session with an agent (agentId), or with a prompt and a model"
              + " (promptId, provider, model), rendered with lead variables")
  ResponseEntity<SessionView> create(@RequestBody CreateSessionRequest request) {
    PlaygroundSession session = playground.create(user(), request);
    return ResponseEntity.created(URI.create("/api/playground/sessions/" + session.id()))
        .body(view(session));
  }

  @GetMapping
  @PreAuthorize("hasRole('OPERATOR')")
  @Operation(summary = "Lists your playground sessions, most recently used first")
  List<SessionView> list() {
    return playground.list(user()).stream().map(this::view).toList();
  }

  @GetMapping("/{id}")
  @PreAuthorize("hasRole('OPERATOR')")
  @Operation(summary = "One of your playground sessions with its transcript")
  SessionView get(@PathVariable("id") UUID id) {
    return view(playground.find(user(), id));
  }

  @PostMapping("/{id}/messages")
  @PreAuthorize("hasRole('OPERATOR')")
  @Operation(
      summary =
          "Sends a message. With Accept: text/event-stream the reply streams in this response"
              + " (events delta, tool, ended, done, error); otherwise 202 names the reply stream"
              + " to open with a playground-reply ticket")
  ResponseEntity<MessageAccepted> send(
      @PathVariable("id") UUID id,
      @RequestBody MessageRequest message,
      HttpServletRequest request,
      HttpServletResponse response) {
    UUID user = user();
    playground.send(user, id, message == null ? null : message.text());
    String accept = request.getHeader(HttpHeaders.ACCEPT);
    if (accept != null && accept.contains(MediaType.TEXT_EVENT_STREAM_VALUE)) {
      playground.reply(user, id, new SseSink(response, json));
      return null;
    }
    return ResponseEntity.accepted()
        .body(
            new MessageAccepted(
                "/api/playground/sessions/" + id + "/reply",
                TicketPurpose.PLAYGROUND_REPLY.wire()));
  }

  @GetMapping("/{id}/reply")
  @Operation(
      summary =
          "Streams the reply to the waiting message as server-sent events (delta, tool, ended,"
              + " done, error), then ends; opened with a playground-reply ticket for this session")
  @Parameter(
      name = "ticket",
      in = ParameterIn.QUERY,
      description = "a playground-reply ticket issued for this session")
  void reply(
      @PathVariable("id") String id, HttpServletRequest request, HttpServletResponse response) {
    // The id is taken as text so that the ticket is checked before anything else.
    UUID sessionId = parse(id);
    TicketHolder holder =
        tickets.redeem(
            request.getParameter("ticket"),
            TicketPurpose.PLAYGROUND_REPLY,
            sessionId == null ? id : sessionId.toString());
    if (sessionId == null) {
      throw new NotFoundException("No playground session " + id);
    }
    playground.reply(holder.userId(), sessionId, new SseSink(response, json));
  }

  @DeleteMapping("/{id}")
  @PreAuthorize("hasRole('OPERATOR')")
  @Operation(summary = "Deletes one of your playground sessions (clears the conversation)")
  ResponseEntity<Void> delete(@PathVariable("id") UUID id) {
    playground.delete(user(), id);
    return ResponseEntity.status(HttpStatus.NO_CONTENT).build();
  }

  private UUID user() {
    return signIns.current().userId();
  }

  private SessionView view(PlaygroundSession session) {
    return new SessionView(
        session.id(),
        session.agentId(),
        session.promptId(),
        session.promptVersion(),
        session.provider(),
        session.model(),
        session.temperature(),
        session.variables(),
        session.systemPrompt(),
        playground.toolNames(session),
        session.transcript(),
        session.pendingText(),
        session.answering(clock.instant()),
        session.ended(),
        session.createdAt(),
        session.lastUsedAt(),
        playground.expiresAt(session));
  }

  private static UUID parse(String id) {
    try {
      return UUID.fromString(id);
    } catch (IllegalArgumentException notAnId) {
      return null;
    }
  }
}
