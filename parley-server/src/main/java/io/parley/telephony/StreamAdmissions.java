package io.parley.telephony;

import io.parley.calls.CallRecords;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Checks a stream's token away from the media loops: redeeming it and recording that this node now
 * holds the call are database round trips, and a media loop carries other calls' audio that must
 * not wait for them. Each check runs on a virtual thread and hands its result back to the executor
 * it was asked from (the socket's event loop), so the socket's state stays with its one thread.
 */
@Component
class StreamAdmissions implements DisposableBean {

  /** How a token check ended. */
  sealed interface Result {

    /** The token was good: the call may start on this node, which now holds it. */
    record Admitted(MediaTokens.Admission admission) implements Result {}

    /** Unknown, used, expired or issued for another CallSid. */
    record Refused() implements Result {}

    /** The database could not be asked; the token may or may not be spent. */
    record Failed(RuntimeException error) implements Result {}
  }

  private final MediaTokens tokens;
  private final CallRecords records;
  private final ExecutorService checks =
      Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("stream-admission-", 0).factory());

  StreamAdmissions(MediaTokens tokens, CallRecords records) {
    this.tokens = tokens;
    this.records = records;
  }

  /**
   * Redeems the token on a virtual thread and runs {@code then} with the result on {@code loop}.
   * Never blocks the caller.
   */
  void admit(String token, String callSid, Executor loop, Consumer<Result> then) {
    try {
      checks.execute(() -> reply(loop, then, check(token, callSid)));
    } catch (RejectedExecutionException shuttingDown) {
      then.accept(new Result.Failed(shuttingDown));
    }
  }

  private Result check(String token, String callSid) {
    try {
      var admission = tokens.redeem(token, callSid);
      if (admission.isEmpty()) {
        return new Result.Refused();
      }
      records.claim(admission.get().callId());
      return new Result.Admitted(admission.get());
    } catch (RuntimeException e) {
      return new Result.Failed(e);
    }
  }

  private static void reply(Executor loop, Consumer<Result> then, Result result) {
    try {
      loop.execute(() -> then.accept(result));
    } catch (RejectedExecutionException loopGone) {
      // The media loops are shutting down and the socket with them: nobody is waiting.
    }
  }

  @Override
  public void destroy() {
    checks.shutdownNow();
  }
}
