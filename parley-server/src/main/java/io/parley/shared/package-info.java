/**
 * Small value types every feature may use: ids, the default organisation, paged lists, domain
 * exceptions and audit events. No Spring beans live here.
 */
@ApplicationModule(type = ApplicationModule.Type.OPEN)
package io.parley.shared;

import org.springframework.modulith.ApplicationModule;
