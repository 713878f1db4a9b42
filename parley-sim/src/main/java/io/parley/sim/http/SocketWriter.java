package io.parley.sim.http;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * The one writer of a server-side WebSocket: every send goes through one lock and waits for
 * completion, so frames never interleave and a dead peer shows up as a false return.
 */
public final class SocketWriter {
  private final Session session;
  private final ReentrantLock lock = new ReentrantLock();

  public SocketWriter(Session session) {
    this.session = session;
  }

  public boolean text(String text) {
    return send(c -> session.sendText(text, c));
  }

  public boolean binary(byte[] bytes) {
    return send(c -> session.sendBinary(ByteBuffer.wrap(bytes), c));
  }

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

  /** Drops the connection without a close handshake, as a crashed server would. */
  public void drop() {
    session.disconnect();
  }

  public boolean isOpen() {
    return session.isOpen();
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
