package io.parley.auth;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** Registers {@link RoleCheckBeforeBinding} for every controller. */
@Configuration(proxyBeanMethods = false)
class AuthWebConfiguration implements WebMvcConfigurer {

  private final RoleCheckBeforeBinding roleCheck;

  AuthWebConfiguration(RoleCheckBeforeBinding roleCheck) {
    this.roleCheck = roleCheck;
  }

  @Override
  public void addInterceptors(InterceptorRegistry registry) {
    registry.addInterceptor(roleCheck);
  }
}
