package io.parley.calls;

import io.parley.shared.InvalidInputException;
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
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/calls/live}: the calls in progress on every node, as one JSON list, optionally
 * checked against Twilio ({@code ?reconcile=true}, supervisors, once per {@link
 * ReconcileLimit#INTERVAL} per node).
 *
 * <p>{@code GET /api/calls/live/events?ticket=…}: the calls in progress on every node as
 * server-sent events, for a browser's {@code EventSource}, which cannot send a bearer header. The
 * ticket ({@code POST /api/tickets}, purpose {@code live-calls}) is the credential: the security
 * rules let this path through without a token, and the ticket is spent here before anything is
 * streamed. The request's virtual thread writes the stream ({@link LiveCallsViewer}).
 */
@RestController
@RequestMapping("/api/calls/live")
class LiveCallsController {

  private final Tickets tickets;
  private final LiveCallsFeed feed;
  private final LiveCallsSource source;
  private final ObjectProvider<CarrierCalls> carrier;
  private final ReconcileLimit limit;
  private final Clock clock;

  LiveCallsController(
      Tickets tickets,
      LiveCallsFeed feed,
      LiveCallsSource source,
      ObjectProvider<CarrierCalls> carrier,
      ReconcileLimit limit,
      Clock clock) {
    this.tickets = tickets;
    this.feed = feed;
    this.source = source;
    this.carrier = carrier;
    this.limit = limit;
    this.clock = clock;
  }

  @GetMapping
  @PreAuthorize("hasRole('VIEWER')")
  @Operation(
      summary =
          "The calls in progress on every node (not yet in a final carrier status), oldest first,"
              + " read from the database; ?reconcile=true (supervisors) checks them against"
              + " Twilio")
  List<LiveCall> list(@RequestParam(required = false) String reconcile) {
    // ?reconcile=true is the other mapping; any other value is a mistake worth naming.
    if (reconcile != null && !reconcile.equals("false")) {
      throw new InvalidInputException("reconcile", "must be true or false");
    }
    return source.inProgress();
  }

  @GetMapping(params = "reconcile=true")
  @PreAuthorize("hasRole('SUPERVISOR')")
  LiveCallsCheck reconcile() {
    CarrierCalls twilio = carrier.getIfAvailable();
    if (twilio == null) {
      ProblemDetail problem =
          ProblemDetail.forStatusAndDetail(
              HttpStatus.SERVICE_UNAVAILABLE, "No carrier is available to check the calls with.");
      throw new ErrorResponseException(HttpStatus.SERVICE_UNAVAILABLE, problem, null);
    }
    limit.acquire();
    // Twilio first: a call that starts meanwhile is then in Parley's list too (it is written
    // before it is dialled) rather than reported as unknown to Parley.
    List<CarrierCalls.CarrierCall> open = twilio.unfinished();
    Instant checkedAt = clock.instant();
    return LiveCallsCheck.of(checkedAt, source.inProgress(), open);
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
