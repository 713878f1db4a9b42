package io.parley.tts;

import io.netty.channel.EventLoop;

/** Turns streamed text into telephone audio (μ-law, 8 kHz, mono, raw: never a WAV header). */
public interface TextToSpeech {

  /**
   * Opens a session for one call (or one turn), bound to the call's event loop. Nothing blocks:
   * provider sockets are connected on {@code loop}, HTTP requests run on virtual threads that post
   * their results to it, and every event reaches {@code listener} in order on {@code loop}.
   */
  TtsSession open(VoiceSpec voice, TtsListener listener, EventLoop loop);
}
