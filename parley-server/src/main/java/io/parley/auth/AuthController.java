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

/** Sign-up, sign-in and the signed-in user's own account. */
@RestController
@RequestMapping("/api/auth")
class AuthController {

  private final AuthService auth;

  AuthController(AuthService auth) {
    this.auth = auth;
  }

  @PostMapping("/register")
  @ResponseStatus(HttpStatus.CREATED)
  UserView register(@Valid @RequestBody AuthRequests.Register request) {
    return auth.register(request);
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
