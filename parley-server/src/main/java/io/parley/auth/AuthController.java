package io.parley.auth;

import io.parley.shared.Actor;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** First-run setup, sign-up, sign-in and the signed-in user's own account. */
@RestController
@RequestMapping("/api/auth")
class AuthController {

  private final AuthService auth;
  private final FirstAdmin firstAdmin;

  AuthController(AuthService auth, FirstAdmin firstAdmin) {
    this.auth = auth;
    this.firstAdmin = firstAdmin;
  }

  @PostMapping("/register")
  @ResponseStatus(HttpStatus.CREATED)
  UserView register(@Valid @RequestBody AuthRequests.Register request) {
    return auth.register(request);
  }

  /** The first administrator, with the one-time code the server printed in its log. */
  @PostMapping("/setup")
  @ResponseStatus(HttpStatus.CREATED)
  UserView setup(@Valid @RequestBody AuthRequests.Setup request, HttpServletRequest httpRequest) {
    return auth.me(
        firstAdmin.setUp(
            new FirstAdmin.Setup(
                request.setupCode(), request.email(), request.password(), request.displayName()),
            httpRequest.getRemoteAddr()));
  }

  @PostMapping("/login")
  TokenResponse login(
      @Valid @RequestBody AuthRequests.Login request, HttpServletRequest httpRequest) {
    return auth.login(request, httpRequest.getRemoteAddr());
  }

  @PostMapping("/refresh")
  TokenResponse refresh(@Valid @RequestBody AuthRequests.Refresh request) {
    return auth.refresh(request.refreshToken());
  }

  @PostMapping("/logout")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  @PreAuthorize("isAuthenticated()")
  void logout(@Valid @RequestBody(required = false) AuthRequests.Logout request) {
    auth.logout(Actor.current().userId(), request == null ? null : request.refreshToken());
  }

  @PostMapping("/password")
  @PreAuthorize("isAuthenticated()")
  TokenResponse changePassword(
      @Valid @RequestBody AuthRequests.ChangePassword request, HttpServletRequest httpRequest) {
    return auth.changePassword(Actor.current().userId(), request, httpRequest.getRemoteAddr());
  }

  @GetMapping("/me")
  @PreAuthorize("isAuthenticated()")
  UserView me() {
    return auth.me(Actor.current().userId());
  }
}
