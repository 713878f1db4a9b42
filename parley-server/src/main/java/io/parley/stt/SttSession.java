package io.parley.stt;

import java.util.concurrent.CompletableFuture;

/**
 * One live recognition stream for one call. {@link #send} may be called from the media thread;
 * {@link #finish} and {@link #close} from any thread.
 */
public interface SttSession extends AutoCloseable {

  /**
   * Hands one frame of caller audio (μ-law, 8 kHz, mono; Twilio's 160-byte frames as received) to
   * the session's socket writer and returns at once: it copies the frame and never blocks on the
   * network. When the writer has fallen too far behind, the frame is dropped and counted ({@code
   * parley.stt.frames.dropped}). Empty frames are ignored (Deepgram would read one as the end of
   * the stream), and so is everything after {@link #finish}, {@link #close} or a {@link
   * SttEvent.Failed}.
   */
  void send(byte[] mulawFrame);

  /**
   * Ends the stream gracefully: the audio already sent is transcribed and its last results are
   * delivered before the returned future completes. It also completes (normally) when the session
   * fails, is closed, or the provider does not finish within the configured time. Idempotent.
   */
  CompletableFuture<Void> finish();

  /**
   * Drops the session at once: once it returns no event is being delivered or will be (called from
   * inside the listener, only the current delivery finishes), the socket is closed and pending
   * audio is discarded. Idempotent.
   */
  @Override
  void close();
}
