/**
 * Which node this process is, and which nodes are alive: each node has an id ({@code
 * PARLEY_NODE_ID}, else one generated once into {@code PARLEY_DATA_DIR}) and rewrites its row in
 * the {@code node} table every few seconds; a node whose heartbeat is older than the limit is dead.
 * Calls record the node that holds them, so a node can tell its own calls from another's.
 */
@ApplicationModule(allowedDependencies = {"shared", "database"})
package io.parley.nodes;

import org.springframework.modulith.ApplicationModule;
