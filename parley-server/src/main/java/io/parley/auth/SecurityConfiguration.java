package io.parley.auth;

import com.nimbusds.jose.jwk.source.ImmutableSecret;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.stream.Stream;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.HttpMethod;
import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.access.hierarchicalroles.RoleHierarchyImpl;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.AuthenticationManagerResolver;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.security.crypto.password.DelegatingPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.MappedJwtClaimSetConverter;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationProvider;
import org.springframework.security.oauth2.server.resource.authentication.JwtGrantedAuthoritiesConverter;
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.ForwardedHeaderFilter;

/**
 * The API's security rules: every {@code /api/**} call needs a valid access token except the
 * sign-in endpoints; roles nest ADMIN ⊃ SUPERVISOR ⊃ OPERATOR ⊃ VIEWER; controllers declare the
 * role they need with {@code @PreAuthorize}.
 */
@Configuration(proxyBeanMethods = false)
@EnableMethodSecurity
class SecurityConfiguration {

  /** Prometheus scrapes here; {@link MetricsAccess} decides who may. */
  static final String METRICS_PATH = "/actuator/prometheus";

  /** Where a token is required. */
  private static final RequestMatcher API =
      PathPatternRequestMatcher.withDefaults().matcher("/api/**");

  /** Endpoints anyone may call: they are how a client gets its tokens. */
  private static final String[] OPEN_ENDPOINTS = {
    "/api/auth/setup", "/api/auth/register", "/api/auth/login", "/api/auth/refresh"
  };

  /**
   * Endpoints a browser opens where it cannot send a bearer header (an {@code EventSource}): the
   * credential is a single-use ticket in the query ({@code io.parley.tickets}), which the endpoint
   * itself redeems. No other {@code /api} path skips the bearer check.
   */
  private static final String[] TICKET_ENDPOINTS = {
    "/api/calls/live/events", "/api/campaigns/*/events", "/api/playground/sessions/*/reply"
  };

  /**
   * Endpoints an {@code <audio>} element opens through a signed link: the credential is the link's
   * HMAC signature and expiry in the query ({@code io.parley.calls.RecordingLinks}, keyed by {@link
   * SigningKeys}), which the endpoint itself checks on every request (the player asks several
   * times, once per range). GET only: nothing else is let through without a bearer.
   */
  private static final String[] SIGNED_LINK_ENDPOINTS = {"/api/calls/*/recording/audio"};

  @Bean
  SecurityFilterChain apiSecurity(
      HttpSecurity http,
      ProblemAuthenticationHandlers problems,
      JwtDecoder jwtDecoder,
      MetricsAccess metrics)
      throws Exception {
    http.csrf(csrf -> csrf.disable())
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .authorizeHttpRequests(
            requests ->
                requests
                    .requestMatchers(OPEN_ENDPOINTS)
                    .permitAll()
                    .requestMatchers(TICKET_ENDPOINTS)
                    .permitAll()
                    .requestMatchers(signedLinks())
                    .permitAll()
                    // Twilio's webhooks carry no token; telephony checks their signatures instead.
                    .requestMatchers("/twilio/**")
                    .permitAll()
                    .requestMatchers("/api/**")
                    .authenticated()
                    // the scrape token (PARLEY_METRICS_TOKEN), not an access token
                    .requestMatchers(METRICS_PATH)
                    .access(metrics)
                    .anyRequest()
                    .permitAll())
        .oauth2ResourceServer(
            oauth ->
                oauth
                    .bearerTokenResolver(bearerTokenResolver())
                    .authenticationManagerResolver(tokenChecks(jwtDecoder))
                    .authenticationEntryPoint(problems)
                    .accessDeniedHandler(problems))
        .exceptionHandling(
            exceptions ->
                exceptions.authenticationEntryPoint(problems).accessDeniedHandler(problems));
    return http.build();
  }

  @Bean
  static RoleHierarchy roleHierarchy() {
    return RoleHierarchyImpl.fromHierarchy(
        """
        ROLE_ADMIN > ROLE_SUPERVISOR
        ROLE_SUPERVISOR > ROLE_OPERATOR
        ROLE_OPERATOR > ROLE_VIEWER
        """);
  }

  /**
   * Checks signature and expiry, then that the token has not been revoked since it was issued. A
   * token must say when it expires and when it was issued: without {@code exp} the timestamp check
   * would pass it forever. They are required on the claims as signed, because Spring's claim
   * conversion makes up an {@code iat} when it is missing.
   */
  @Bean
  JwtDecoder jwtDecoder(JwtSecret secret, UserStore users) {
    NimbusJwtDecoder decoder =
        NimbusJwtDecoder.withSecretKey(secret.key()).macAlgorithm(MacAlgorithm.HS256).build();
    MappedJwtClaimSetConverter standard =
        MappedJwtClaimSetConverter.withDefaults(Collections.emptyMap());
    decoder.setClaimSetConverter(
        claims -> {
          if (claims.get(JwtClaimNames.EXP) == null || claims.get(JwtClaimNames.IAT) == null) {
            throw new BadJwtException("The token does not say when it was issued and expires");
          }
          return standard.convert(claims);
        });
    decoder.setJwtValidator(
        new DelegatingOAuth2TokenValidator<>(
            JwtValidators.createDefault(), new TokenVersionValidator(users)));
    return decoder;
  }

  @Bean
  JwtEncoder jwtEncoder(JwtSecret secret) {
    return new NimbusJwtEncoder(new ImmutableSecret<>(secret.key()));
  }

  /**
   * Argon2id (memory-hard) behind an {@code {argon2}} prefix, so stored hashes name their algorithm
   * and a future change can upgrade them on the next sign-in.
   */
  @Bean
  PasswordEncoder passwordEncoder() {
    return new DelegatingPasswordEncoder(
        "argon2", Map.of("argon2", Argon2PasswordEncoder.defaultsForSpringSecurity_v5_8()));
  }

  /** The time source for token lifetimes, rate-limit windows and audit timestamps. */
  @Bean
  Clock clock() {
    return Clock.systemUTC();
  }

  /**
   * Behind a reverse proxy ({@code PARLEY_TRUST_PROXY=true}) the client address, scheme and host
   * come from {@code Forwarded} / {@code X-Forwarded-*}. Never enable this without a proxy that
   * overwrites those headers: clients could otherwise pick their own address and dodge the sign-in
   * limits.
   */
  @Bean
  @ConditionalOnProperty(name = "parley.trust-proxy", havingValue = "true")
  FilterRegistrationBean<ForwardedHeaderFilter> forwardedHeaderFilter() {
    FilterRegistrationBean<ForwardedHeaderFilter> registration =
        new FilterRegistrationBean<>(new ForwardedHeaderFilter());
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
    return registration;
  }

  /**
   * The open endpoints ignore any {@code Authorization} header: a client that attaches its
   * (expired) access token to every call must still be able to refresh or sign in again. Outside
   * {@code /api/**} a malformed header ({@code Bearer} and nothing) is ignored too, and on the
   * metrics endpoint the bearer is the scrape token, not an access token. The ticket endpoints
   * ignore it as well: their ticket is the credential.
   */
  private static RequestMatcher signedLinks() {
    return new OrRequestMatcher(
        Arrays.stream(SIGNED_LINK_ENDPOINTS)
            .<RequestMatcher>map(
                path -> PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.GET, path))
            .toList());
  }

  private static BearerTokenResolver bearerTokenResolver() {
    DefaultBearerTokenResolver header = new DefaultBearerTokenResolver();
    RequestMatcher open =
        new OrRequestMatcher(
            Stream.of(OPEN_ENDPOINTS, TICKET_ENDPOINTS, SIGNED_LINK_ENDPOINTS)
                .flatMap(Arrays::stream)
                .<RequestMatcher>map(PathPatternRequestMatcher.withDefaults()::matcher)
                .toList());
    RequestMatcher metrics = PathPatternRequestMatcher.withDefaults().matcher(METRICS_PATH);
    return request -> {
      if (open.matches(request) || metrics.matches(request)) {
        return null;
      }
      try {
        return header.resolve(request);
      } catch (OAuth2AuthenticationException malformed) {
        if (API.matches(request)) {
          throw malformed;
        }
        return null;
      }
    };
  }

  /**
   * Where a token is required ({@code /api/**}) a bad one is refused with 401. Anywhere else (the
   * health endpoint, the API documents) a token only adds to what the caller may see, so a bad one
   * is ignored and the request goes on anonymously, as if it carried none.
   */
  private static AuthenticationManagerResolver<HttpServletRequest> tokenChecks(
      JwtDecoder jwtDecoder) {
    JwtAuthenticationProvider jwt = new JwtAuthenticationProvider(jwtDecoder);
    jwt.setJwtAuthenticationConverter(authenticationConverter());
    AuthenticationManager required = new ProviderManager(jwt);
    AuthenticationManager optional =
        token -> {
          try {
            return required.authenticate(token);
          } catch (AuthenticationException ignored) {
            return new AnonymousAuthenticationToken(
                "bad-token", "anonymousUser", AuthorityUtils.createAuthorityList("ROLE_ANONYMOUS"));
          }
        };
    return request -> API.matches(request) ? required : optional;
  }

  private static JwtAuthenticationConverter authenticationConverter() {
    JwtGrantedAuthoritiesConverter roles = new JwtGrantedAuthoritiesConverter();
    roles.setAuthoritiesClaimName("roles");
    roles.setAuthorityPrefix("");
    JwtAuthenticationConverter converter = new JwtAuthenticationConverter();
    converter.setJwtGrantedAuthoritiesConverter(roles);
    return converter;
  }
}
