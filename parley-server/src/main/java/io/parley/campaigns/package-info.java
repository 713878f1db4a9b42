/**
 * Campaigns: an agent calling a list of leads. Campaign settings, lead CSV imports (streamed, with
 * a per-row report kept in the database) and the lead list; docs/campaigns.md.
 */
@ApplicationModule(allowedDependencies = {"shared", "compliance", "agents", "database"})
package io.parley.campaigns;

import org.springframework.modulith.ApplicationModule;
