/**
 * Campaigns: an agent calling a list of leads. Campaign settings, lead CSV imports (streamed, with
 * a per-row report kept in the database), the lead list, the lifecycle, the dispatcher that dials
 * running campaigns from every node, and each campaign's live progress stream ({@code GET
 * /api/campaigns/{id}/events}, opened with a ticket: {@link io.parley.tickets.Tickets});
 * docs/campaigns.md.
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
