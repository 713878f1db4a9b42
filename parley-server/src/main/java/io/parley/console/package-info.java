/**
 * The web console: server-rendered pages (Thymeleaf, htmx from WebJars) behind a session sign-in of
 * their own, kept apart from the bearer-only API. The layout, navigation and security live here;
 * each page is a feature package beneath ({@code account}, {@code users}); docs/console.md says how
 * to add one.
 */
@ApplicationModule(allowedDependencies = {"auth", "calls", "playground", "prompts", "shared"})
package io.parley.console;

import org.springframework.modulith.ApplicationModule;
