package io.parley.sim.elevenlabs;

import io.parley.sim.SimClock;
import java.util.function.BooleanSupplier;

/**
 * Ends a stream socket that has had no message for its {@code inactivity_timeout}, as ElevenLabs
 * does. It sleeps on the simulated clock, so tests can run the timeout without waiting for it.
 */
final class IdleWatch {
  private final SimClock clock;
  private final long timeoutMillis;
  private volatile long lastMessage;
  private volatile Thread thread;

  IdleWatch(SimClock clock, long timeoutMillis) {
    this.clock = clock;
    this.timeoutMillis = timeoutMillis;
  }

  /** A message arrived: the timeout starts again. */
  void touch() {
    lastMessage = clock.nowMillis();
  }

  /**
   * Starts the timeout at the socket's open. {@code onTimeout} runs once, on the watch thread,
   * unless {@code closed} turns true first.
   */
  void start(String threadName, BooleanSupplier closed, Runnable onTimeout) {
    touch();
    thread = Thread.ofVirtual().name(threadName).start(() -> watch(closed, onTimeout));
  }

  /** The socket closed: nothing more to watch. */
  void stop() {
    Thread watching = thread;
    if (watching != null) {
      watching.interrupt();
    }
  }

  /** The message of the {@code input_timeout_exceeded} error that ElevenLabs closes with. */
  String message() {
    return "Have not received new text for "
        + timeoutMillis / 1000
        + " seconds. Closing the connection.";
  }

  private void watch(BooleanSupplier closed, Runnable onTimeout) {
    while (!closed.getAsBoolean()) {
      try {
        clock.sleepUntil(lastMessage + timeoutMillis);
      } catch (InterruptedException e) {
        return;
      }
      if (!closed.getAsBoolean() && clock.nowMillis() >= lastMessage + timeoutMillis) {
        onTimeout.run();
        return;
      }
    }
  }
}
