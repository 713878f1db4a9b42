/**
 * The calling rules Parley respects before it dials: the do-not-call list ({@link
 * io.parley.compliance.DoNotCallList}), the calling window in the callee's local time ({@link
 * io.parley.compliance.CallingWindow}), and the one gate every dial passes at the moment of
 * dialling ({@link io.parley.compliance.ComplianceGate}: do-not-call, registry lists for
 * telemarketing, consent, attempt cap, per-number cap over 24 hours, window; it fails closed).
 * Manual calls, campaigns and the {@code opt_out} tool use these types; everything else here is
 * private to the module.
 */
@ApplicationModule(allowedDependencies = {"shared", "database"})
package io.parley.compliance;

import org.springframework.modulith.ApplicationModule;
