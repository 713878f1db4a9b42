package io.parley.auth;

/** Roles nest: each includes every role below it. */
public enum Role {
  ADMIN,
  SUPERVISOR,
  OPERATOR,
  VIEWER;

  /** The Spring Security authority carried in access tokens. */
  public String authority() {
    return "ROLE_" + name();
  }
}
