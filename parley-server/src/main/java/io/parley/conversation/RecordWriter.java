package io.parley.conversation;

import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a call's record in the background, in order, so the call's loop never waits for the
 * database while audio is due. A failed write is logged and the next one still runs; closing waits
 * for everything queued, so nothing said on the call is lost when it ends.
 */
final class RecordWriter implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RecordWriter.class);

  private final UUID callId;
  private final ExecutorService thread;

  RecordWriter(UUID callId) {
    this.callId = callId;
    this.thread =
        Executors.newSingleThreadExecutor(Thread.ofVirtual().name("call-record-", 0).factory());
  }

  void write(String what, Runnable write) {
    try {
      thread.execute(
          () -> {
            try {
              write.run();
            } catch (RuntimeException e) {
              log.error("Could not write {} of call {}", what, callId, e);
            }
          });
    } catch (RejectedExecutionException e) {
      log.error("Dropped {} of call {}: the record is already closed", what, callId);
    }
  }

  /** Waits (up to 30 s) for every queued write. */
  @Override
  public void close() {
    thread.shutdown();
    try {
      if (!thread.awaitTermination(30, TimeUnit.SECONDS)) {
        log.error("Writes of call {} did not finish in 30 s", callId);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
