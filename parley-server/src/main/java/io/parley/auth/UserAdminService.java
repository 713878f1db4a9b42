package io.parley.auth;

import io.parley.shared.Actor;
import io.parley.shared.AuditEvent;
import io.parley.shared.ConflictException;
import io.parley.shared.NotFoundException;
import io.parley.shared.Page;
import io.parley.shared.PageRequest;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** What administrators do with accounts: create, list, change roles, disable and enable. */
@Service
class UserAdminService {

  private final UserStore users;
  private final RefreshTokenStore refreshTokens;
  private final PasswordEncoder passwords;
  private final PasswordPolicy policy;
  private final TokenIssuer tokens;
  private final ApplicationEventPublisher events;

  UserAdminService(
      UserStore users,
      RefreshTokenStore refreshTokens,
      PasswordEncoder passwords,
      PasswordPolicy policy,
      TokenIssuer tokens,
      ApplicationEventPublisher events) {
    this.users = users;
    this.refreshTokens = refreshTokens;
    this.passwords = passwords;
    this.policy = policy;
    this.tokens = tokens;
    this.events = events;
  }

  @Transactional
  UserView create(UserRequests.Create request, Actor actor) {
    String email = request.email().trim();
    policy.require(request.password(), email, "password");
    users.lockOrganisation();
    if (users.findByEmail(email).isPresent()) {
      throw new ConflictException("An account with this e-mail already exists.");
    }
    Instant now = tokens.now();
    UserAccount user =
        new UserAccount(
            UUID.randomUUID(),
            email,
            passwords.encode(request.password()),
            AuthService.blankToNull(request.displayName()),
            request.role(),
            true,
            0,
            now,
            now);
    users.insert(user);
    events.publishEvent(
        new AuditEvent(
            actor.userId(),
            actor.email(),
            "user.created",
            "user",
            user.id().toString(),
            Map.of("email", user.email(), "role", user.role().name())));
    return user.view();
  }

  @Transactional(readOnly = true)
  Page<UserView> list(PageRequest page) {
    return new Page<>(
        users.list(page.size(), page.offset()).stream().map(UserAccount::view).toList(),
        page.page(),
        page.size(),
        users.count());
  }

  UserView get(UUID id) {
    return existing(id).view();
  }

  /**
   * Applies a partial update. A role change or disabling ends the user's sessions at once; the
   * organisation always keeps at least one enabled ADMIN.
   */
  @Transactional
  UserView update(UUID id, UserRequests.Update request, Actor actor) {
    users.lockOrganisation();
    UserAccount before = existing(id);
    Role role = request.role() == null ? before.role() : request.role();
    boolean enabled = request.enabled() == null ? before.enabled() : request.enabled();
    String displayName =
        request.displayName() == null
            ? before.displayName()
            : AuthService.blankToNull(request.displayName());
    boolean losesAdmin =
        before.role() == Role.ADMIN && before.enabled() && (role != Role.ADMIN || !enabled);
    if (losesAdmin && users.countEnabledAdmins() <= 1) {
      throw new ConflictException(
          "This is the last enabled ADMIN; make another account ADMIN before demoting or"
              + " disabling this one.");
    }
    boolean roleChanged = role != before.role();
    boolean enabledChanged = enabled != before.enabled();
    boolean nameChanged = !Objects.equals(displayName, before.displayName());
    if (!roleChanged && !enabledChanged && !nameChanged) {
      return before.view();
    }
    Instant now = tokens.now();
    UserAccount after =
        new UserAccount(
            before.id(),
            before.email(),
            before.passwordHash(),
            displayName,
            role,
            enabled,
            before.tokenVersion(),
            before.createdAt(),
            now);
    users.update(after);
    if (roleChanged || (enabledChanged && !enabled)) {
      users.bumpTokenVersion(id);
    }
    if (enabledChanged && !enabled) {
      refreshTokens.revokeAllOf(id, now);
    }
    if (roleChanged) {
      audit(
          actor,
          "user.role_changed",
          after,
          Map.of("from", before.role().name(), "to", role.name()));
    }
    if (enabledChanged) {
      audit(actor, enabled ? "user.enabled" : "user.disabled", after, Map.of());
    }
    if (nameChanged) {
      audit(
          actor,
          "user.updated",
          after,
          Map.of("displayName", displayName == null ? "" : displayName));
    }
    return after.view();
  }

  private void audit(Actor actor, String action, UserAccount user, Map<String, Object> details) {
    events.publishEvent(
        new AuditEvent(
            actor.userId(), actor.email(), action, "user", user.id().toString(), details));
  }

  private UserAccount existing(UUID id) {
    return users.findById(id).orElseThrow(() -> new NotFoundException("No user with id " + id));
  }
}
