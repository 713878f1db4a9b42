package io.parley.conversation;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * The live call's meters on {@code /actuator/prometheus}: voice-to-voice and each stage of a turn,
 * the hops Parley itself adds, barge-in reaction, frames, and how calls end.
 */
final class CallMetrics {

  private final MeterRegistry registry;
  private final Timer voiceToVoice;
  private final Timer bargeIn;
  private final Timer sttToLlm;
  private final Timer ttsToFrame;
  private final Counter framesSent;
  private final Counter framesDropped;
  private final Counter staleEvents;
  private final Counter mailboxFull;
  private final Counter bargeIns;

  CallMetrics(MeterRegistry registry, Supplier<Number> activeCalls) {
    this.registry = registry;
    // A strong reference: the supplier is a lambda nobody else holds, and a gauge keeps its state
    // object only weakly by default (it would read NaN once collected).
    Gauge.builder("parley.calls.active", activeCalls, s -> s.get().doubleValue())
        .description("calls with a live conversation on this node")
        .strongReference(true)
        .register(registry);
    voiceToVoice =
        timer("parley.call.voice_to_voice", "caller speech end to the first frame of the reply");
    bargeIn =
        timer(
            "parley.call.barge_in.reaction",
            "the STT message that interrupted the agent to clear sent");
    sttToLlm =
        Timer.builder("parley.call.hop")
            .tag("hop", "stt_final_to_llm_request")
            .description("Parley's own time between the final transcript and the model request")
            .publishPercentiles(0.5, 0.99)
            .register(registry);
    ttsToFrame =
        Timer.builder("parley.call.hop")
            .tag("hop", "tts_audio_to_frame")
            .description("Parley's own time between the first TTS audio and its first frame sent")
            .publishPercentiles(0.5, 0.99)
            .register(registry);
    framesSent = registry.counter("parley.call.frames.sent");
    framesDropped = registry.counter("parley.call.frames.dropped");
    staleEvents = registry.counter("parley.call.events.stale");
    mailboxFull = registry.counter("parley.call.mailbox.dropped");
    bargeIns = registry.counter("parley.call.barge_ins");
  }

  private Timer timer(String name, String description) {
    return Timer.builder(name)
        .description(description)
        .publishPercentiles(0.5, 0.9, 0.99)
        .register(registry);
  }

  void turn(Reply reply) {
    record(voiceToVoice, reply.callerSpeechEnd, reply.firstFrameSent);
    record(sttToLlm, reply.sttFinal, reply.llmRequest);
    stage("stt_final", reply.callerSpeechEnd, reply.sttFinal);
    stage("llm_first_token", reply.llmRequest, reply.llmFirstToken);
    stage("first_chunk", reply.llmFirstToken, reply.firstSpeakableChunk);
    stage("tts_first_audio", reply.firstSpeakableChunk, reply.firstTtsAudio);
  }

  void firstFrame(long ttsAudioNanos, long frameNanos) {
    ttsToFrame.record(Duration.ofNanos(frameNanos - ttsAudioNanos));
  }

  private void stage(String stage, Instant from, Instant to) {
    if (from != null && to != null && !to.isBefore(from)) {
      Timer.builder("parley.call.stage")
          .tag("stage", stage)
          .publishPercentiles(0.5, 0.99)
          .register(registry)
          .record(Duration.between(from, to));
    }
  }

  private static void record(Timer timer, Instant from, Instant to) {
    if (from != null && to != null && !to.isBefore(from)) {
      timer.record(Duration.between(from, to));
    }
  }

  void bargeIn(long reactionNanos, int droppedFrames) {
    bargeIns.increment();
    bargeIn.record(Duration.ofNanos(Math.max(0, reactionNanos)));
    framesDropped.increment(droppedFrames);
  }

  void frameSent() {
    framesSent.increment();
  }

  void staleEvent() {
    staleEvents.increment();
  }

  void mailboxFull() {
    mailboxFull.increment();
  }

  void ended(String outcome) {
    registry.counter("parley.calls.ended", "outcome", outcome).increment();
  }
}
