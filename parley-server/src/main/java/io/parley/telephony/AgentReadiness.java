package io.parley.telephony;

import io.parley.agents.AgentConfig;
import io.parley.agents.AgentSnapshot;
import io.parley.prompts.PromptCatalog;
import io.parley.providers.ProviderKind;
import io.parley.providers.ProviderRegistry;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * What a call needs settled before anyone is connected: the concrete prompt version it will speak,
 * and whether every provider the agent relies on is configured on this server.
 */
@Component
public class AgentReadiness {

  private final PromptCatalog prompts;
  private final ProviderRegistry providers;

  AgentReadiness(PromptCatalog prompts, ProviderRegistry providers) {
    this.prompts = prompts;
    this.providers = providers;
  }

  /** The pinned version, or the prompt's current one; null when the prompt is gone. */
  public Integer promptVersion(AgentSnapshot agent) {
    if (agent.promptVersion() != null) {
      return agent.promptVersion();
    }
    return prompts.currentVersion(agent.organisationId(), agent.promptId()).orElse(null);
  }

  /**
   * Names what keeps the agent from holding a conversation now, or empty when nothing does: its
   * prompt was deleted (or its pinned version is missing), so there is nothing to render the system
   * prompt from, or a provider it needs has no key here.
   */
  public Optional<String> problem(AgentSnapshot agent) {
    Integer version = promptVersion(agent);
    if (version == null || !prompts.hasVersion(agent.organisationId(), agent.promptId(), version)) {
      return Optional.of(
          "the agent's prompt "
              + agent.promptId()
              + (version == null ? "" : " version " + version)
              + " is deleted or missing");
    }
    return missingProvider(agent.config());
  }

  /**
   * Names the first provider the agent needs that has no key here (speech recognition, the model,
   * the voice), or empty when the agent can talk. The fallback voice is optional.
   */
  public Optional<String> missingProvider(AgentConfig agent) {
    if (!providers.isConfigured(ProviderKind.STT, agent.stt().provider())) {
      return Optional.of(
          "speech-to-text provider '" + agent.stt().provider() + "' is not configured");
    }
    if (!providers.isConfigured(ProviderKind.LLM, agent.llm().provider())) {
      return Optional.of(
          "language model provider '" + agent.llm().provider() + "' is not configured");
    }
    boolean voice = providers.isConfigured(ProviderKind.TTS, agent.voice().provider());
    boolean fallback =
        agent.fallbackVoice() != null
            && providers.isConfigured(ProviderKind.TTS, agent.fallbackVoice().provider());
    if (!voice && !fallback) {
      return Optional.of(
          "text-to-speech provider '" + agent.voice().provider() + "' is not configured");
    }
    return Optional.empty();
  }
}
