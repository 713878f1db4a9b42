package io.parley.campaigns;

import io.parley.shared.NotFoundException;
import io.parley.shared.Organisations;
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
import java.util.UUID;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/campaigns/{id}/events?ticket=…}: one campaign's live progress as server-sent
 * events, for a browser's {@code EventSource}, which cannot send a bearer header. The ticket
 * ({@code POST /api/tickets}, purpose {@code campaign-events}, naming this campaign) is the
 * credential: the security rules let this path through without a token, and the ticket is spent
 * here before anything else is answered. The request's virtual thread writes the stream ({@link
 * CampaignProgressViewer}) from the node's one read per campaign per second ({@link
 * CampaignProgressFeed}).
 */
@RestController
@RequestMapping("/api/campaigns")
class CampaignEventsController {

  private final Tickets tickets;
  private final CampaignService campaigns;
  private final CampaignProgressFeed feed;

  CampaignEventsController(Tickets tickets, CampaignService campaigns, CampaignProgressFeed feed) {
    this.tickets = tickets;
    this.campaigns = campaigns;
    this.feed = feed;
  }

  @GetMapping("/{id}/events")
  @Operation(
      summary =
          "Streams a campaign's progress (event 'progress': status, lead counts and progress as"
              + " GET /api/campaigns/{id} shows them, on connect and on every change, read once a"
              + " second; event 'ended' with the final progress once the campaign is completed or"
              + " cancelled and no call is left, then the stream ends; a comment every 15 s);"
              + " opened with a campaign-events ticket for this campaign")
  @Parameter(
      name = "ticket",
      in = ParameterIn.QUERY,
      description = "a campaign-events ticket issued for this campaign")
  void events(
      @PathVariable("id") String id, HttpServletRequest request, HttpServletResponse response)
      throws IOException, InterruptedException {
    // The id is taken as text so that the ticket is checked before anything else: whatever the
    // path, a request without a good ticket is a 401. Tickets name the campaign as UUID#toString
    // spells it.
    UUID campaignId = parse(id);
    // Read here rather than bound as an argument: Spring logs handler arguments at TRACE.
    tickets.redeem(
        request.getParameter("ticket"),
        TicketPurpose.CAMPAIGN_EVENTS,
        campaignId == null ? id : campaignId.toString());
    // A ticket can be issued for any id (the ticket module knows no campaigns): asked only now.
    if (campaignId == null || !campaigns.exists(Organisations.DEFAULT_ID, campaignId)) {
      throw new NotFoundException("No campaign " + campaignId);
    }
    response.setStatus(HttpServletResponse.SC_OK);
    response.setContentType(MediaType.TEXT_EVENT_STREAM_VALUE);
    response.setCharacterEncoding(StandardCharsets.UTF_8.name());
    HttpHeaders headers = new HttpHeaders();
    Tickets.noStore(headers);
    headers.forEach((name, values) -> values.forEach(value -> response.addHeader(name, value)));
    ServletOutputStream out = response.getOutputStream();
    // The client sees the answer (EventSource's "open") before the first progress is read.
    response.flushBuffer();
    new CampaignProgressViewer().stream(feed, campaignId, out, CampaignProgressViewer.MAX_AGE);
  }

  private static UUID parse(String id) {
    try {
      return UUID.fromString(id);
    } catch (IllegalArgumentException notAnId) {
      return null;
    }
  }
}
