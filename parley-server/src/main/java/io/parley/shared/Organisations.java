package io.parley.shared;

import java.util.UUID;

/**
 * Every business row carries an organisation id so that tenants can be added without rewriting the
 * schema. Until then there is exactly one organisation, created by the first migration.
 */
public final class Organisations {

  /** The organisation every account and object belongs to for now. */
  public static final UUID DEFAULT_ID = UUID.fromString("00000000-0000-0000-0000-000000000001");

  private Organisations() {}
}
