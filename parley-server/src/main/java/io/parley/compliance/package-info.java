/**
 * The calling rules Parley respects before it dials: the do-not-call list ({@link
 * io.parley.compliance.DoNotCallList}) and the calling window in the callee's local time ({@link
 * io.parley.compliance.CallingWindow}). Outbound dialing and the {@code opt_out} tool use these two
 * types; everything else here is private to the module.
 */
@ApplicationModule(allowedDependencies = {"shared"})
package io.parley.compliance;

import org.springframework.modulith.ApplicationModule;
