package io.parley.auth;

import io.parley.shared.Actor;
import io.parley.shared.InvalidInputException;
import io.parley.shared.PageRequest;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Service;

/**
 * What the console's user pages do with accounts: the same {@link UserAdminService} as {@code
 * /api/users}, with the form's input checked here, since no {@code @Valid} body passes through.
 */
@Service
public class ConsoleUsers {

  private final UserAdminService admin;

  ConsoleUsers(UserAdminService admin) {
    this.admin = admin;
  }

  /** An account as the console lists it. */
  public record Account(UUID id, String email, String displayName, Role role, boolean enabled) {}

  /** The first page of accounts, in the API's order. */
  public List<Account> list() {
    return admin.list(PageRequest.of(0, PageRequest.MAX_SIZE)).items().stream()
        .map(u -> new Account(u.id(), u.email(), u.displayName(), u.role(), u.enabled()))
        .toList();
  }

  /**
   * Creates an account; throws {@code InvalidInputException} naming the field, or {@code
   * ConflictException} when the e-mail is taken.
   */
  public void create(
      String email, String password, String role, String displayName, SessionSignIns.SignedIn by) {
    String trimmed = email == null ? "" : email.trim();
    if (!looksLikeEmail(trimmed)) {
      throw new InvalidInputException("email", "must be an e-mail address");
    }
    Role parsed;
    try {
      parsed = Role.valueOf(role == null ? "" : role);
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException("role", "must be VIEWER, OPERATOR, SUPERVISOR or ADMIN");
    }
    if (displayName != null && displayName.length() > 100) {
      throw new InvalidInputException("displayName", "must be at most 100 characters long");
    }
    admin.create(
        new UserRequests.Create(trimmed, password == null ? "" : password, parsed, displayName),
        new Actor(by.userId(), by.email()));
  }

  static boolean looksLikeEmail(String email) {
    return email != null && email.length() <= 254 && email.matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
  }
}
