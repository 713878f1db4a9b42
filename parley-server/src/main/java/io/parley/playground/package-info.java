/**
 * The prompt playground: a typed conversation with an agent, or with a prompt version and a model,
 * before it goes live. Replies come through the same model path as a call ({@link
 * io.parley.llm.LanguageModel}) and the agent's tools as a call has them, in dry-run mode ({@link
 * io.parley.conversation.DryRunTools}): nothing is written, transferred or hung up; each tool says
 * what it would have done. Sessions are per user, stored so that any node answers them, and expire
 * after 30 minutes idle. docs/playground.md.
 */
@ApplicationModule(
    allowedDependencies = {
      "shared",
      "auth",
      "agents",
      "prompts",
      "providers",
      "llm",
      "conversation",
      "tickets",
      "database"
    })
package io.parley.playground;

import org.springframework.modulith.ApplicationModule;
