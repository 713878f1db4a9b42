/**
 * Outbound calls: {@code POST /api/calls} checks a dial against the agent, the do-not-call list,
 * the calling window, the prompt and the node's load and capacity, writes the attempt and asks
 * Twilio to place it; {@code POST /api/calls/{id}/hangup} ends one; at start-up and every minute
 * the reconciler settles the open calls of dead nodes and of this node's previous run.
 */
@ApplicationModule(
    allowedDependencies = {
      "shared",
      "calls",
      "agents",
      "compliance",
      "prompts",
      "telephony",
      "providers",
      "media",
      "nodes"
    })
package io.parley.dialing;

import org.springframework.modulith.ApplicationModule;
