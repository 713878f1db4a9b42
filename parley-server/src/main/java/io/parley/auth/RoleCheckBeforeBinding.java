package io.parley.auth;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.access.expression.method.DefaultMethodSecurityExpressionHandler;
import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.authorization.method.PreAuthorizeAuthorizationManager;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.util.SimpleMethodInvocation;
import org.springframework.stereotype.Component;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Evaluates a controller's {@code @PreAuthorize} before Spring MVC reads and validates the request
 * body. Method security alone runs after argument binding, so a caller without the role would get
 * 400/422 about the body instead of 403 (and learn how the endpoint validates). Expressions that
 * refer to the method's arguments ({@code #name}) cannot be judged this early; those are left to
 * method security, which still runs as usual after binding.
 */
@Component
class RoleCheckBeforeBinding implements HandlerInterceptor {

  private final PreAuthorizeAuthorizationManager preAuthorize =
      new PreAuthorizeAuthorizationManager();

  RoleCheckBeforeBinding(RoleHierarchy roleHierarchy) {
    DefaultMethodSecurityExpressionHandler expressions =
        new DefaultMethodSecurityExpressionHandler();
    expressions.setRoleHierarchy(roleHierarchy);
    preAuthorize.setExpressionHandler(expressions);
  }

  @Override
  public boolean preHandle(
      HttpServletRequest request, HttpServletResponse response, Object handler) {
    if (!(handler instanceof HandlerMethod method) || !judgeableEarly(method)) {
      return true;
    }
    AuthorizationResult result =
        preAuthorize.authorize(
            () -> SecurityContextHolder.getContext().getAuthentication(),
            new SimpleMethodInvocation(method.getBean(), method.getMethod()));
    if (result != null && !result.isGranted()) {
      throw new AccessDeniedException("Access Denied");
    }
    return true;
  }

  /** True when the handler has a {@code @PreAuthorize} that does not refer to arguments. */
  private static boolean judgeableEarly(HandlerMethod method) {
    PreAuthorize annotation =
        AnnotatedElementUtils.findMergedAnnotation(method.getMethod(), PreAuthorize.class);
    if (annotation == null) {
      annotation =
          AnnotatedElementUtils.findMergedAnnotation(method.getBeanType(), PreAuthorize.class);
    }
    return annotation != null && !annotation.value().contains("#");
  }
}
