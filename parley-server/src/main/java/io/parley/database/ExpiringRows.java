package io.parley.database;

/**
 * A table whose rows expire (stream tokens, tickets): {@link ExpiredRowsPurge} deletes what has
 * expired every minute, on every node.
 */
public interface ExpiringRows {

  /** What the rows are, for the log: "stream tokens". */
  String what();

  /** Deletes the expired rows, used or not; returns how many. Idempotent. */
  int purgeExpired();
}
