package io.parley.database;

/**
 * The database this process runs on.
 *
 * @param vendor which database product
 * @param jdbcUrl where it is (never contains a password: credentials are passed separately)
 * @param embedded true when Parley started it itself
 */
public record ActiveDatabase(DatabaseVendor vendor, String jdbcUrl, boolean embedded) {}
