package io.parley.console;

import io.parley.auth.SessionSignIns;
import io.parley.auth.SessionSignIns.SignedIn;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Comparator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.context.SecurityContextHolderFilter;

/**
 * The console's own security chain, ahead of the API's: a session sign-in (the cookie, kept by
 * Spring Session in the database), CSRF tokens on every form and htmx request, pages refused by
 * role from {@link ConsolePages}. It only matches the console's paths, so {@code /api/**} never
 * sees the session: the API stays bearer-only and ignores the cookie.
 */
@Configuration(proxyBeanMethods = false)
class ConsoleSecurityConfiguration {

  /** Everything the console serves; the API chain handles the rest. */
  static final String[] PATHS = {
    "/", "/login", "/logout", "/setup", "/account/**", "/console/**", "/webjars/**"
  };

  private static final String[] ASSETS = {"/webjars/**", "/console/assets/**"};

  static boolean isAsset(HttpServletRequest request) {
    String path = request.getRequestURI().substring(request.getContextPath().length());
    return path.startsWith("/webjars/") || path.startsWith("/console/assets/");
  }

  @Bean
  @Order(1)
  SecurityFilterChain consoleSecurity(HttpSecurity http, SessionSignIns signIns) throws Exception {
    http.securityMatcher(PATHS)
        .authenticationManager(new ProviderManager(new PasswordAuthentication(signIns)))
        .authorizeHttpRequests(
            requests -> {
              requests.requestMatchers(ASSETS).permitAll();
              requests.requestMatchers("/login", "/setup", "/console/forbidden").permitAll();
              // Longest path first: the first matching rule decides, and /console/** (Overview)
              // must not answer for /console/users.
              ConsolePages.ALL.stream()
                  .sorted(
                      Comparator.comparing((ConsolePages.Page p) -> p.path().length()).reversed())
                  .forEach(
                      page ->
                          requests
                              .requestMatchers(page.path(), page.path() + "/**")
                              .access(
                                  (authentication, context) ->
                                      new AuthorizationDecision(
                                          authentication.get() != null
                                              && authentication.get().getPrincipal()
                                                  instanceof SignedIn user
                                              && page.allows(user.role()))));
              requests.anyRequest().authenticated();
            })
        .formLogin(
            form ->
                form.loginPage("/login")
                    .usernameParameter("email")
                    .passwordParameter("password")
                    .defaultSuccessUrl("/console")
                    .failureUrl("/login?error"))
        .logout(
            logout ->
                logout
                    .logoutUrl("/logout")
                    .logoutSuccessUrl("/login?signedOut")
                    .addLogoutHandler(
                        (request, response, authentication) -> {
                          if (authentication != null
                              && authentication.getPrincipal() instanceof SignedIn user) {
                            signIns.signedOut(user);
                          }
                        }))
        .exceptionHandling(
            exceptions ->
                exceptions
                    .authenticationEntryPoint(new LoginUrlAuthenticationEntryPoint("/login"))
                    .accessDeniedHandler(new ConsoleAccessDenied()))
        .headers(
            headers ->
                headers.contentSecurityPolicy(
                    csp ->
                        // Everything comes from the app itself (WebJars included): no CDN, no
                        // inline script or style.
                        csp.policyDirectives(
                            "default-src 'self'; script-src 'self'; style-src 'self';"
                                + " img-src 'self' data:; form-action 'self';"
                                + " frame-ancestors 'none'; base-uri 'self'")))
        .addFilterAfter(new StillSignedInFilter(signIns), SecurityContextHolderFilter.class);
    return http.build();
  }
}
