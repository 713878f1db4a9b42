package io.parley.media;

import java.io.IOException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the media loops ahead of the rest of the process in the kernel's scheduler ({@code
 * PARLEY_MEDIA_LOOP_PRIORITY} niceness steps, default 5). A loop waiting for a CPU delays every
 * frame of every call on it, while a model request, a webhook, a database write or the JIT compiler
 * waiting a few milliseconds is not heard. On a busy machine the bench measured the loops' lag at
 * 200 ms in bursts with the loops themselves only 10–20 % busy: they queued behind the node's other
 * threads, not their own work. Media servers (FreeSWITCH, Asterisk) raise their RTP threads the
 * same way.
 *
 * <p>Raising a thread's priority needs {@code CAP_SYS_NICE} (root has it; in a container grant it,
 * e.g. Kubernetes {@code securityContext.capabilities.add: [SYS_NICE]}). Without it the loops keep
 * the process's priority and the node works as before; {@link #outcome()} says which.
 */
final class LoopPriority {

  private static final Logger log = LoggerFactory.getLogger(LoopPriority.class);

  /** What happened when a loop thread started. */
  sealed interface Outcome {
    /** Nothing was asked (boost 0). */
    record NotAsked() implements Outcome {}

    /** The loop runs at {@code nice}, the process at {@code processNice}. */
    record Raised(int nice, int processNice) implements Outcome {}

    /** The kernel (or the platform) refused; {@code reason} says why. */
    record Refused(String reason) implements Outcome {}
  }

  private static final int EPERM = 1;
  private static final int EACCES = 13;

  private final int boost;
  private final Optional<ThreadNice> nice;
  private volatile Outcome outcome = new Outcome.NotAsked();
  private volatile boolean reported;

  LoopPriority(int boost) {
    this(boost, boost == 0 ? Optional.empty() : ThreadNice.load());
  }

  LoopPriority(int boost, Optional<ThreadNice> nice) {
    if (boost < 0 || boost > 39) {
      throw new IllegalArgumentException(
          "PARLEY_MEDIA_LOOP_PRIORITY must be 0 (off) to 39 niceness steps, was " + boost);
    }
    this.boost = boost;
    this.nice = nice;
  }

  /** Called first thing on each new loop thread. */
  void raiseCurrentThread() {
    if (boost == 0) {
      return;
    }
    Outcome result = raise();
    outcome = result;
    if (!reported) {
      reported = true;
      switch (result) {
        case Outcome.Raised r ->
            log.info(
                "Media loops run at niceness {} (the rest of the process at {})",
                r.nice(),
                r.processNice());
        case Outcome.Refused r ->
            log.warn(
                "Media loops keep the process's priority: {}. Other work on a busy machine may"
                    + " delay calls' audio; grant CAP_SYS_NICE, or set PARLEY_MEDIA_LOOP_PRIORITY=0"
                    + " to silence this",
                r.reason());
        case Outcome.NotAsked n -> {}
      }
    }
  }

  private Outcome raise() {
    if (nice.isEmpty()) {
      return new Outcome.Refused("thread priorities are not available on this platform");
    }
    int processNice;
    try {
      processNice = ThreadNice.process();
    } catch (IOException | RuntimeException e) {
      return new Outcome.Refused("the process's niceness could not be read: " + e.getMessage());
    }
    int target = Math.max(-20, processNice - boost);
    int errno = nice.get().set(target);
    return switch (errno) {
      case 0 -> new Outcome.Raised(target, processNice);
      case EPERM, EACCES -> new Outcome.Refused("raising a thread's priority needs CAP_SYS_NICE");
      default -> new Outcome.Refused("setpriority failed with errno " + errno);
    };
  }

  /** The last loop thread's outcome (all loops start together and get the same one). */
  Outcome outcome() {
    return outcome;
  }
}
