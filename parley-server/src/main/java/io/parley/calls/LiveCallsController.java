package io.parley.calls;

import io.parley.tickets.TicketPurpose;
import io.parley.tickets.Tickets;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/calls/live/events?ticket=…}: the calls in progress on every node as server-sent
 * events, for a browser's {@code EventSource}, which cannot send a bearer header. The ticket
 * ({@code POST /api/tickets}, purpose {@code live-calls}) is the credential: the security rules let
 * this path through without a token, and the ticket is spent here before anything is streamed. The
 * request's virtual thread writes the stream ({@link LiveCallsViewer}).
 */
@RestController
@RequestMapping("/api/calls/live")
class LiveCallsController {

  private final Tickets tickets;
  private final LiveCallsFeed feed;

  LiveCallsController(Tickets tickets, LiveCallsFeed feed) {
    this.tickets = tickets;
    this.feed = feed;
  }

  @GetMapping("/events")
  @Operation(
      summary =
          "Streams the calls in progress (event 'calls': a JSON array, on connect and on every"
              + " change; a comment every 15 s); opened with a live-calls ticket")
  @Parameter(name = "ticket", in = ParameterIn.QUERY, description = "a live-calls ticket")
  void events(HttpServletRequest request, HttpServletResponse response)
      throws IOException, InterruptedException {
    // Read here rather than bound as an argument: Spring logs handler arguments at TRACE.
    tickets.redeem(request.getParameter("ticket"), TicketPurpose.LIVE_CALLS);
    response.setStatus(HttpServletResponse.SC_OK);
    response.setContentType(MediaType.TEXT_EVENT_STREAM_VALUE);
    response.setCharacterEncoding(StandardCharsets.UTF_8.name());
    HttpHeaders headers = new HttpHeaders();
    Tickets.noStore(headers);
    headers.forEach((name, values) -> values.forEach(value -> response.addHeader(name, value)));
    ServletOutputStream out = response.getOutputStream();
    // The client sees the answer (EventSource's "open") before the first list is read.
    response.flushBuffer();
    new LiveCallsViewer().stream(feed, out, LiveCallsViewer.MAX_AGE);
  }
}
