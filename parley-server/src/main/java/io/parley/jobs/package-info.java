/**
 * Durable work for later, run exactly once by whichever node is free: a job (kind, JSON payload,
 * when to run) waits in the {@code job} table; every node polls for due jobs, claims some with
 * {@code SELECT ... FOR UPDATE SKIP LOCKED} and a lease, and runs them with the {@link
 * io.parley.jobs.JobHandler} of their kind. A node that crashes mid-job loses its lease and another
 * node runs the job again, so handlers must be idempotent.
 */
@ApplicationModule(allowedDependencies = {"shared", "database", "nodes"})
package io.parley.jobs;

import org.springframework.modulith.ApplicationModule;
