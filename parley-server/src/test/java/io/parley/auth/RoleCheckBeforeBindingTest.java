package io.parley.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.method.HandlerMethod;

class RoleCheckBeforeBindingTest {

  private final RoleCheckBeforeBinding check =
      new RoleCheckBeforeBinding(SecurityConfiguration.roleHierarchy());

  @PreAuthorize("hasRole('SUPERVISOR')")
  static class SupervisorController {
    public void create(String body) {}

    @PreAuthorize("hasRole('VIEWER')")
    public void read() {}

    @PreAuthorize("#owner == authentication.name")
    public void own(String owner) {}
  }

  static class OpenController {
    public void anything() {}
  }

  @AfterEach
  void clear() {
    SecurityContextHolder.clearContext();
  }

  @Test
  void refusesALowerRoleBeforeTheBodyIsRead() throws Exception {
    signIn("ROLE_OPERATOR");
    assertThatThrownBy(() -> run(new SupervisorController(), "create", String.class))
        .isInstanceOf(AccessDeniedException.class);
    assertThat(run(new SupervisorController(), "read")).isTrue();
  }

  @Test
  void higherRolesIncludeLowerOnes() throws Exception {
    signIn("ROLE_ADMIN");
    assertThat(run(new SupervisorController(), "create", String.class)).isTrue();
  }

  @Test
  void leavesArgumentExpressionsAndUnannotatedHandlersToMethodSecurity() throws Exception {
    signIn("ROLE_VIEWER");
    assertThat(run(new SupervisorController(), "own", String.class)).isTrue();
    assertThat(run(new OpenController(), "anything")).isTrue();
  }

  private boolean run(Object controller, String method, Class<?>... parameters) throws Exception {
    HandlerMethod handler =
        new HandlerMethod(controller, controller.getClass().getMethod(method, parameters));
    return check.preHandle(new MockHttpServletRequest(), new MockHttpServletResponse(), handler);
  }

  private static void signIn(String authority) {
    SecurityContextHolder.getContext()
        .setAuthentication(new TestingAuthenticationToken("user", "n/a", authority));
  }
}
