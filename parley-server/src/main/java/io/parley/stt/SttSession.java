package io.parley.stt;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.concurrent.CompletableFuture;

/**
 * One live recognition stream for one call, bound to the call's event loop (the one given to {@link
 * SpeechToText#open}). {@link #send} belongs on that loop; {@link #finish} and {@link #close} may
 * be called from any thread.
 */
public interface SttSession extends AutoCloseable {

  /**
   * Hands one frame of caller audio (μ-law, 8 kHz, mono; Twilio's 160-byte frames as received) to
   * the session, which owns the buffer from now on and releases it. On the session's loop the frame
   * is written to the provider's socket at once, with no queue and no other thread; while the
   * socket is being (re)opened it is kept for the new socket. When the socket is not keeping up
   * (its write buffer is above the high watermark) the frame is dropped and counted ({@code
   * parley.stt.frames.dropped}); this never blocks. Called from another thread, the frame is handed
   * to the loop (a task per frame: correct, but not what the media plane is for). Empty frames are
   * ignored (Deepgram would read one as the end of the stream), and so is everything after {@link
   * #finish}, {@link #close} or a {@link SttEvent.Failed}.
   */
  void send(ByteBuf mulawFrame);

  /** As {@link #send(ByteBuf)}, for a frame in an array (copied: the caller keeps the array). */
  default void send(byte[] mulawFrame) {
    if (mulawFrame != null && mulawFrame.length > 0) {
      send(Unpooled.copiedBuffer(mulawFrame));
    }
  }

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
