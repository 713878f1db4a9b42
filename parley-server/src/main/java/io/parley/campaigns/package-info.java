/**
 * Campaigns: an agent calling a list of leads. Campaign settings, lead CSV imports (streamed, with
 * a per-row report kept in the database), the lead list, the lifecycle, the dispatcher that dials
 * running campaigns from every node, each campaign's live progress stream ({@code GET
 * /api/campaigns/{id}/events}, opened with a ticket: {@link io.parley.tickets.Tickets}), and
 * scheduled callbacks (booked through the API, or by the callee through the agent's tool: campaigns
 * implements the conversation engine's {@code CallbackBooking}); docs/campaigns.md.
 */
@ApplicationModule(
    allowedDependencies = {
      "shared",
      "compliance",
      "agents",
      "database",
      "dialing",
      "calls",
      "nodes",
      "conversation",
      "tickets"
    })
package io.parley.campaigns;

import org.springframework.modulith.ApplicationModule;
