/** Prompt templates with immutable versions, declared variables and rendering with lead data. */
@ApplicationModule(allowedDependencies = {"shared", "database"})
package io.parley.prompts;

import org.springframework.modulith.ApplicationModule;
