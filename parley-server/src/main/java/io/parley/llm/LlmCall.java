package io.parley.llm;

/** One streamed completion: run it on the thread that should block, cancel it from any thread. */
public interface LlmCall {

  /**
   * Sends the request and delivers every event to the listener on this thread, returning after the
   * one terminal event ({@link LlmEvent.Completed} or {@link LlmEvent.Failed}). A call runs once; a
   * second {@code run} throws {@link IllegalStateException}. An exception thrown by the listener
   * aborts the stream and propagates (no terminal event follows it).
   */
  void run();

  /**
   * Stops the call promptly from any thread, whether it is connecting, waiting for the first token,
   * streaming or waiting to retry. After {@code cancel} the listener receives no more deltas or
   * tool calls, only {@link LlmEvent.Failed} with {@link LlmEvent.FailureKind#CANCELLED}.
   * Idempotent.
   */
  void cancel();
}
