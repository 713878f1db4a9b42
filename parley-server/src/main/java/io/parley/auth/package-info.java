/**
 * Accounts, roles, JWT access and refresh tokens, login rate limiting and the API's security rules.
 */
@ApplicationModule(allowedDependencies = {"shared", "database"})
package io.parley.auth;

import org.springframework.modulith.ApplicationModule;
