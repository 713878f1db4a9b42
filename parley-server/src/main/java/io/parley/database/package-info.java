/**
 * Where Parley keeps its data: an external PostgreSQL or MariaDB when {@code PARLEY_DB_URL} is set,
 * else an embedded PostgreSQL under {@code PARLEY_DATA_DIR}, so the first run needs nothing
 * installed.
 */
@ApplicationModule(allowedDependencies = "shared")
package io.parley.database;

import org.springframework.modulith.ApplicationModule;
