package io.parley.auth;

import io.parley.shared.InvalidInputException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/**
 * What a new password must be: long (length beats composition rules, as NIST SP 800-63B says), not
 * the user's own e-mail name and not one of the passwords every attacker tries first.
 */
@Component
class PasswordPolicy {

  static final int MIN_LENGTH = 12;
  static final int MAX_LENGTH = 128;

  private final Set<String> common;

  PasswordPolicy() {
    this.common = load();
  }

  /** Why the password is refused, or empty when it is acceptable. */
  Optional<String> problem(String password, String email) {
    if (password == null || password.isEmpty()) {
      return Optional.of("must not be empty");
    }
    int length = password.codePointCount(0, password.length());
    if (length < MIN_LENGTH) {
      return Optional.of("must be at least " + MIN_LENGTH + " characters long");
    }
    if (length > MAX_LENGTH) {
      return Optional.of("must be at most " + MAX_LENGTH + " characters long");
    }
    if (password.isBlank()) {
      return Optional.of("must not be only spaces");
    }
    String lower = password.toLowerCase(Locale.ROOT);
    String localPart = localPart(email);
    if (localPart.length() >= 3 && lower.contains(localPart)) {
      return Optional.of("must not contain the name part of your e-mail address");
    }
    if (common.contains(lower)) {
      return Optional.of("is too common; choose a longer phrase that is not easy to guess");
    }
    if (lower.codePoints().distinct().count() < 4) {
      return Optional.of("needs more different characters");
    }
    return Optional.empty();
  }

  /** Refuses the password with 422 naming {@code field} when the policy does not accept it. */
  void require(String password, String email, String field) {
    problem(password, email)
        .ifPresent(
            problem -> {
              throw new InvalidInputException(field, problem);
            });
  }

  private static String localPart(String email) {
    if (email == null) {
      return "";
    }
    int at = email.lastIndexOf('@');
    return (at < 0 ? email : email.substring(0, at)).trim().toLowerCase(Locale.ROOT);
  }

  private static Set<String> load() {
    try (InputStream in = PasswordPolicy.class.getResourceAsStream("common-passwords.txt")) {
      if (in == null) {
        throw new IllegalStateException("common-passwords.txt is missing from the classpath");
      }
      return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))
          .lines()
          .map(String::trim)
          .filter(line -> !line.isEmpty() && !line.startsWith("#"))
          .map(line -> line.toLowerCase(Locale.ROOT))
          .collect(Collectors.toUnmodifiableSet());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
