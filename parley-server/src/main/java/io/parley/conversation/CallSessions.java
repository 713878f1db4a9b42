package io.parley.conversation;

import io.micrometer.core.instrument.MeterRegistry;
import io.parley.agents.AgentDirectory;
import io.parley.calls.CallRecords;
import io.parley.compliance.DoNotCallList;
import io.parley.llm.LanguageModel;
import io.parley.media.MediaLoops;
import io.parley.prompts.PromptCatalog;
import io.parley.stt.SpeechToText;
import io.parley.telephony.CallCapacity;
import io.parley.telephony.CallControl;
import io.parley.telephony.CallStreams;
import io.parley.telephony.PublicUrls;
import io.parley.telephony.StreamListener;
import io.parley.telephony.StreamOutput;
import io.parley.telephony.StreamStart;
import io.parley.tts.TextToSpeech;
import jakarta.annotation.PreDestroy;
import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Starts a {@link CallSession} for every media stream telephony admits, on the event loop of its
 * socket, and keeps track of the live ones (the {@code parley.calls.active} gauge).
 */
@Component
class CallSessions implements CallStreams {

  private final CallServices services;
  private final MediaLoops loops;
  private final ConcurrentHashMap<UUID, CallSession> live = new ConcurrentHashMap<>();

  CallSessions(
      CallRecords records,
      AgentDirectory agents,
      PromptCatalog prompts,
      DoNotCallList doNotCall,
      org.springframework.beans.factory.ObjectProvider<CallbackBooking> callbacks,
      SpeechToText speechToText,
      TextToSpeech textToSpeech,
      LanguageModel languageModel,
      CallControl control,
      CallCapacity capacity,
      PublicUrls urls,
      JsonMapper json,
      Clock clock,
      MeterRegistry meters,
      MediaLoops loops,
      CampaignAudio campaignAudio) {
    this.loops = loops;
    this.services =
        new CallServices(
            records,
            agents,
            prompts,
            doNotCall,
            callbacks.getIfAvailable(),
            speechToText,
            textToSpeech,
            languageModel,
            control,
            capacity,
            urls,
            json,
            clock,
            new CallMetrics(meters, live::size),
            new SafeHarbourRecordings(textToSpeech),
            campaignAudio);
  }

  /** Makes the shared ambience loop now, so the first call with ambience does not wait for it. */
  @jakarta.annotation.PostConstruct
  void prepareAmbience() {
    Thread.ofVirtual().name("ambience-loop").start(io.parley.conversation.audio.Ambience::office);
  }

  @Override
  public StreamListener started(StreamStart start, StreamOutput output) {
    CallSession session =
        new CallSession(
            start, output, loops.clock(output.loop()), services, () -> live.remove(start.callId()));
    CallSession previous = live.putIfAbsent(start.callId(), session);
    if (previous != null) {
      // A second stream for a call that already talks: Twilio never does this, so refuse it.
      output.close(1008, "call already has a stream");
      return CallSession.ignoring();
    }
    session.start();
    return session;
  }

  /** Asynchronous machine detection decided: the call waiting for it may start talking, or not. */
  @org.springframework.context.event.EventListener
  void onVerdict(io.parley.telephony.AnsweringMachineVerdict verdict) {
    CallSession session = live.get(verdict.callId());
    if (session != null) {
      session.verdict(verdict.answeredBy(), verdict.human());
    }
  }

  /** Live calls now. */
  int active() {
    return live.size();
  }

  /** On shutdown, every live call ends through its normal path (records finished, places freed). */
  @PreDestroy
  void endAll() {
    live.values().forEach(session -> session.shutdown("Parley is shutting down"));
  }
}
