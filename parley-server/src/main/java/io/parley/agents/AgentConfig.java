package io.parley.agents;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

/**
 * Everything that defines how an agent behaves on a call. Omitted sub-objects and settings get the
 * defaults documented on each type, so a stored configuration is always complete and does not
 * change if the defaults change later.
 *
 * @param name what operators call the agent
 * @param promptId the prompt the agent speaks
 * @param promptVersion a pinned prompt version, or latest
 * @param greeting the first thing the agent says
 * @param disclosure said before anything else, e.g. "This call is with an automated assistant and
 *     may be recorded"; null for none
 * @param language a BCP-47 tag such as {@code en-US} or {@code hi-IN}; default {@code en-US}
 * @param alwaysAnswerInLanguage answer in {@code language} even when the caller switches; default
 *     false
 * @param timeZone an IANA zone for the agent's sense of "now" (e.g. {@code Asia/Kolkata}), or null
 * @param voice the main voice
 * @param fallbackVoice a voice on another provider used when the main one fails, or null
 * @param stt speech recognition; default Deepgram {@code nova-3}
 * @param llm the language model
 * @param twilioNumber the E.164 number the agent answers, unique across agents, or null
 * @param recording call recording; default on, mono
 * @param amd answering-machine detection defaults
 * @param turnTaking endpointing and barge-in rules
 * @param backgroundAmbience mix soft office noise under the agent's voice; default false
 * @param maxCallDurationSeconds hang up after this long, 30 to 14400; default 1800
 * @param tools the tools the agent may call
 * @param voicemail the message left on an answering machine after its beep, or null to hang up on
 *     machines silently (see {@link VoicemailConfig})
 * @param analysis post-call analysis; default off (docs/analysis.md)
 */
public record AgentConfig(
    @NotBlank @Size(max = 200) String name,
    @NotNull UUID promptId,
    @NotNull PromptVersion promptVersion,
    @NotBlank @Size(max = 2000) String greeting,
    @Size(max = 1000) String disclosure,
    @NotBlank @Size(max = 35) String language,
    @NotNull Boolean alwaysAnswerInLanguage,
    @Size(max = 64) String timeZone,
    @NotNull @Valid VoiceConfig voice,
    @Valid VoiceConfig fallbackVoice,
    @NotNull @Valid SttConfig stt,
    @NotNull @Valid LlmConfig llm,
    @Size(max = 16) String twilioNumber,
    @NotNull @Valid RecordingConfig recording,
    @NotNull @Valid AmdConfig amd,
    @NotNull @Valid TurnTakingConfig turnTaking,
    @NotNull Boolean backgroundAmbience,
    @NotNull @Min(30) @Max(14400) Integer maxCallDurationSeconds,
    @NotNull @Size(max = 20) List<@NotNull @Valid ToolConfig> tools,
    @Valid VoicemailConfig voicemail,
    @NotNull @Valid AnalysisConfig analysis) {

  public static final String DEFAULT_LANGUAGE = "en-US";
  public static final int DEFAULT_MAX_CALL_DURATION_SECONDS = 1800;

  public AgentConfig {
    promptVersion = promptVersion == null ? PromptVersion.LATEST : promptVersion;
    language = language == null ? DEFAULT_LANGUAGE : language;
    alwaysAnswerInLanguage =
        alwaysAnswerInLanguage == null ? Boolean.FALSE : alwaysAnswerInLanguage;
    stt = stt == null ? SttConfig.defaults() : stt;
    recording = recording == null ? RecordingConfig.defaults() : recording;
    amd = amd == null ? AmdConfig.defaults() : amd;
    turnTaking = turnTaking == null ? TurnTakingConfig.defaults() : turnTaking;
    backgroundAmbience = backgroundAmbience == null ? Boolean.FALSE : backgroundAmbience;
    maxCallDurationSeconds =
        maxCallDurationSeconds == null ? DEFAULT_MAX_CALL_DURATION_SECONDS : maxCallDurationSeconds;
    // Null elements are kept so that validation can name them rather than crash here.
    tools = tools == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(tools));
    analysis = analysis == null ? AnalysisConfig.defaults() : analysis;
  }
}
