package io.parley.tts;

import io.netty.channel.EventLoop;

/**
 * One adapter in the fallback chain. A {@link Channel} lives as long as the session uses this
 * provider (it may keep a warm connection); each utterance, or the rest of one taken over from a
 * failed provider, is one {@link Attempt}. Everything here runs on the session's event loop: the
 * session calls channels and attempts there, and attempts report to their {@link Sink} there (an
 * adapter whose work runs elsewhere posts its reports to the loop).
 */
interface SpeechProvider {

  /** The adapter's name in metrics and logs, e.g. {@code elevenlabs-ws}. */
  String name();

  /** The TTS provider id whose voice this adapter speaks (a registry id). */
  String providerId();

  Channel open(VoiceSpec.Voice voice, String languageCode, EventLoop loop);

  /** A provider's connection state for one session; used on the session's loop only. */
  interface Channel extends AutoCloseable {
    Attempt start(Sink sink);

    @Override
    void close();
  }

  /** Speaks one stretch of text; called on the session's loop only, never blocking it. */
  interface Attempt {
    void append(String text);

    /** Speak the rest; {@link Sink#done()} follows the last audio. */
    void finish();

    /** Stop now, quietly: no further sink calls matter (they are ignored by the session). */
    void abort();
  }

  /** What an attempt reports, on the session's loop. */
  interface Sink {
    void audio(byte[] mulaw, TtsEvent.Alignment alignment);

    /** The first {@code chars} characters appended to this attempt have been spoken. */
    void spoken(int chars);

    void done();

    void failed(boolean retriable, String reason);
  }
}
