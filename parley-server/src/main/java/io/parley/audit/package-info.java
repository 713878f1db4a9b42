/**
 * The audit log: who did what and when. Features publish {@link io.parley.shared.AuditEvent}s
 * inside their transactions; this module writes them in that same transaction and lets
 * administrators read them.
 */
@ApplicationModule(allowedDependencies = {"shared"})
package io.parley.audit;

import org.springframework.modulith.ApplicationModule;
