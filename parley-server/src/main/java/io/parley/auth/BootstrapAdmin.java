package io.parley.auth;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The first administrator, given through the environment instead of the one-time setup code: for
 * unattended installs, where nobody reads the log.
 *
 * @param email {@code PARLEY_BOOTSTRAP_ADMIN_EMAIL}
 * @param password {@code PARLEY_BOOTSTRAP_ADMIN_PASSWORD}: checked against the password policy,
 *     never logged
 */
@ConfigurationProperties("parley.bootstrap.admin")
record BootstrapAdmin(String email, String password) {

  boolean given() {
    return !blank(email) || !blank(password);
  }

  private static boolean blank(String value) {
    return value == null || value.isBlank();
  }

  /** Why the pair cannot be used, naming the variable, or null. */
  String problem() {
    if (blank(email)) {
      return "PARLEY_BOOTSTRAP_ADMIN_EMAIL is missing (PARLEY_BOOTSTRAP_ADMIN_PASSWORD is set)";
    }
    if (blank(password)) {
      return "PARLEY_BOOTSTRAP_ADMIN_PASSWORD is missing (PARLEY_BOOTSTRAP_ADMIN_EMAIL is set)";
    }
    if (!email.trim().matches("[^@\\s]+@[^@\\s]+")) {
      return "PARLEY_BOOTSTRAP_ADMIN_EMAIL is not an e-mail address";
    }
    return null;
  }

  @Override
  public String toString() {
    // The password never reaches a log, not even through a record's generated toString.
    return "BootstrapAdmin[email=" + email + "]";
  }
}
