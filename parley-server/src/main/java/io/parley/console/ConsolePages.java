package io.parley.console;

import io.parley.auth.Role;
import java.util.List;

/**
 * Every page in the console's navigation with the least role that may open it. The navigation shows
 * a user only the entries their role reaches, and {@link ConsoleSecurityConfiguration} refuses the
 * rest with the same table, so the two cannot disagree. A new page adds its entry here.
 */
public final class ConsolePages {

  /** One navigation entry: its label, path (and everything beneath it) and least role. */
  public record Page(String label, String path, Role leastRole) {

    /** Whether a user with this role may open the page; roles nest (ADMIN includes them all). */
    public boolean allows(Role role) {
      return role.ordinal() <= leastRole.ordinal();
    }
  }

  public static final List<Page> ALL =
      List.of(
          new Page("Overview", "/console", Role.VIEWER),
          new Page("Calls", "/console/calls", Role.VIEWER),
          new Page("Prompts", "/console/prompts", Role.OPERATOR),
          new Page("Users", "/console/users", Role.ADMIN),
          new Page("Account", "/account/password", Role.VIEWER));

  private ConsolePages() {}

  public static List<Page> visibleTo(Role role) {
    return ALL.stream().filter(page -> page.allows(role)).toList();
  }
}
