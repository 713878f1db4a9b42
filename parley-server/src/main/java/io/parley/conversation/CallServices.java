package io.parley.conversation;

import io.parley.agents.AgentDirectory;
import io.parley.calls.CallRecords;
import io.parley.compliance.DoNotCallList;
import io.parley.llm.LanguageModel;
import io.parley.prompts.PromptCatalog;
import io.parley.stt.SpeechToText;
import io.parley.telephony.CallCapacity;
import io.parley.telephony.CallControl;
import io.parley.telephony.PublicUrls;
import io.parley.tts.TextToSpeech;
import java.time.Clock;
import tools.jackson.databind.json.JsonMapper;

/**
 * What every call session uses, gathered so a session's constructor stays short. {@code callbacks}
 * is null where no module books callbacks.
 */
record CallServices(
    CallRecords records,
    AgentDirectory agents,
    PromptCatalog prompts,
    DoNotCallList doNotCall,
    CallbackBooking callbacks,
    SpeechToText speechToText,
    TextToSpeech textToSpeech,
    LanguageModel languageModel,
    CallControl control,
    CallCapacity capacity,
    PublicUrls urls,
    JsonMapper json,
    Clock clock,
    CallMetrics metrics,
    SafeHarbourRecordings safeHarbours,
    CampaignAudio campaignAudio) {}
