package io.parley.tts;

/** Turns streamed text into telephone audio (μ-law, 8 kHz, mono, raw: never a WAV header). */
public interface TextToSpeech {

  /**
   * Opens a session for one call (or one turn). Nothing blocks: connections are made on the
   * session's own threads, and every event reaches {@code listener} in order on one thread.
   */
  TtsSession open(VoiceSpec voice, TtsListener listener);

  /** Opens a session whose events reach {@code listener} on {@code loop}. */
  default TtsSession open(VoiceSpec voice, TtsListener listener, io.netty.channel.EventLoop loop) {
    return open(voice, event -> loop.execute(() -> listener.on(event)));
  }
}
