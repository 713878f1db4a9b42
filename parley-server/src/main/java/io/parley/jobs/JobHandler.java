package io.parley.jobs;

/**
 * Runs the jobs of one kind; a Spring bean. A node claims only the kinds it has a handler for, so
 * during a rolling upgrade a new kind waits for a node that knows it.
 *
 * <p>Delivery is at least once: a job whose node crashed after the work but before it was recorded
 * done runs again elsewhere. Make {@link #run} idempotent (check what it would change before
 * changing it, or use a natural key downstream).
 */
public interface JobHandler {

  /** The kind this handler runs, as given to {@link Jobs#schedule}: at most 100 characters. */
  String kind();

  /**
   * Whether this node runs the kind at all. A handler whose work needs something this node lacks (a
   * setting, a local store) says false: the node then leaves those jobs to a node that can, as
   * during a rolling upgrade.
   */
  default boolean runsHere() {
    return true;
  }

  /**
   * Does the work. Returning is success (the job is deleted); throwing is a failure (the job is
   * retried with backoff, then kept as failed). Runs on a virtual thread; the node renews the lease
   * while it runs, so a long job is never taken from a live node.
   */
  void run(Job job) throws Exception;
}
