/**
 * Post-call analysis (docs/analysis.md): when a call whose agent has {@code analysis.enabled} ends
 * with a transcript, a {@code call.analysis} job asks the agent's model for a summary, a category,
 * the caller's sentiment and the fields of the agent's JSON Schema, checks the answer (one retry
 * when it is invalid) and stores it through {@link io.parley.calls.CallRecords#recordAnalysis},
 * apart from the call's outcome.
 */
@ApplicationModule(allowedDependencies = {"shared", "calls", "agents", "llm", "jobs"})
package io.parley.analysis;

import org.springframework.modulith.ApplicationModule;
