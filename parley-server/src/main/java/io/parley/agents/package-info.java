/**
 * AI agent definitions: prompt binding, voice, language, models, phone number, recording,
 * answering-machine detection, turn-taking and tools. Other features read agents through {@link
 * io.parley.agents.AgentDirectory}, which hands out immutable snapshots that calls keep.
 */
@ApplicationModule(allowedDependencies = {"shared", "prompts", "providers"})
package io.parley.agents;

import org.springframework.modulith.ApplicationModule;
