/**
 * The HTTP surface shared by every feature: problem-details error handling, OpenAPI and the
 * start-up banner.
 */
@ApplicationModule(allowedDependencies = {"shared", "database"})
package io.parley.web;

import org.springframework.modulith.ApplicationModule;
