package io.parley.sim;

import java.time.Duration;

/**
 * The faults one streaming socket takes at its handshake: how long each reply waits before its
 * first audio, after how many audio chunks the connection drops (null: never) and whether the
 * socket hangs. They are taken once, when the socket opens, so a fault armed later meets the next
 * socket rather than changing one already open.
 */
public record SocketFaults(long latencyMillis, Integer dropAfter, boolean hang) {

  /**
   * Takes the latency, drop and hang faults armed for the target and call (null: simulator-wide);
   * {@code baseMillis} is the wait without a latency fault.
   */
  public static SocketFaults take(
      Faults faults, Faults.Target target, String callId, long baseMillis) {
    long latency =
        baseMillis
            + faults
                .take(target, callId, Fault.Latency.class)
                .map(l -> l.added().toMillis())
                .orElse(0L);
    Integer dropAfter =
        faults
            .take(target, callId, Fault.DropMidStream.class)
            .map(Fault.DropMidStream::afterChunks)
            .orElse(null);
    boolean hang = faults.take(target, callId, Fault.Hang.class).isPresent();
    return new SocketFaults(latency, dropAfter, hang);
  }

  /**
   * Waits before a reply's first audio. False when no audio may follow: the socket hangs, or the
   * wait was interrupted because the socket closed.
   */
  public boolean awaitFirstAudio(SimClock clock) {
    if (hang) {
      return false;
    }
    try {
      clock.sleep(Duration.ofMillis(latencyMillis));
      return true;
    } catch (InterruptedException e) {
      return false;
    }
  }

  /** Whether the connection drops now, {@code sentChunks} audio chunks having gone out. */
  public boolean dropsAt(int sentChunks) {
    return dropAfter != null && sentChunks >= dropAfter;
  }
}
