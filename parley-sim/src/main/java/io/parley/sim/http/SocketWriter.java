package io.parley.sim.http;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.common.WebSocketSession;
import org.eclipse.jetty.websocket.core.WebSocketCoreSession;

/**
 * The one writer of a server-side WebSocket: every send goes through one lock and waits for
 * completion, so frames never interleave and a dead peer shows up as a false return.
 */
public final class SocketWriter implements SocketOut {
  /** How long after the last frame {@link #drop()} waits: real time, not the simulated clock. */
  static final Duration DROP_GRACE = Duration.ofMillis(100);

  private final Session session;
  private final ReentrantLock lock = new ReentrantLock();
  // System.nanoTime() when the last frame was sent; guarded by lock
  private long lastSent = System.nanoTime() - DROP_GRACE.toNanos();

  public SocketWriter(Session session) {
    this.session = session;
  }

  @Override
  public boolean text(String text) {
    return send(c -> session.sendText(text, c));
  }

  @Override
  public boolean binary(byte[] bytes) {
    return send(c -> session.sendBinary(ByteBuffer.wrap(bytes), c));
  }

  @Override
  public void close(int code, String reason) {
    lock.lock();
    try {
      if (session.isOpen()) {
        session.close(code, reason, Callback.NOOP);
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Drops the connection without a close handshake: the TCP connection is reset (RST), the way a
   * crashed server or a load balancer cuts it, so the client gets "connection reset" at once.
   *
   * <p>Not a plain {@link Session#disconnect()}, which ends the connection with a FIN: the JDK
   * WebSocket client loses an end of stream that arrives while its listener is still inside {@code
   * onText} or {@code onBinary} (its transport stops, then fails acknowledging the EOF because that
   * message has used up the demand), and then never calls {@code onClose} or {@code onError}. A
   * reset is reported as an error in any state.
   *
   * <p>The same client also discards a message it has read but not yet handed to its listener when
   * the connection fails, so a frame sent just before gets {@link #DROP_GRACE} of real time to
   * reach the listener first: the client sees exactly the frames sent, then the reset.
   */
  @Override
  public void drop() {
    lock.lock();
    try {
      awaitGrace();
      resetOnClose();
      session.disconnect();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public boolean isOpen() {
    return session.isOpen();
  }

  private void awaitGrace() {
    long wait = lastSent + DROP_GRACE.toNanos() - System.nanoTime();
    if (wait > 0) {
      try {
        TimeUnit.NANOSECONDS.sleep(wait);
      } catch (InterruptedException e) {
        // the session is closing anyway: drop at once
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Sets SO_LINGER to 0, so that closing the socket sends a RST instead of a FIN. */
  private void resetOnClose() {
    if (session instanceof WebSocketSession ws
        && ws.getCoreSession() instanceof WebSocketCoreSession core
        && core.getConnection() != null
        && core.getConnection().getEndPoint().getTransport() instanceof SocketChannel channel) {
      try {
        channel.setOption(StandardSocketOptions.SO_LINGER, 0);
      } catch (IOException e) {
        // already closed: there is nothing left to reset
      }
    }
  }

  private boolean send(java.util.function.Consumer<Callback> op) {
    lock.lock();
    try {
      if (!session.isOpen()) {
        return false;
      }
      Callback.Completable done = new Callback.Completable();
      op.accept(done);
      done.get(10, TimeUnit.SECONDS);
      lastSent = System.nanoTime();
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (Exception e) {
      return false;
    } finally {
      lock.unlock();
    }
  }
}
