package io.parley.web;

import io.parley.shared.StrictJson;
import org.springframework.boot.http.converter.autoconfigure.ServerHttpMessageConvertersCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.converter.json.JacksonJsonHttpMessageConverter;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import tools.jackson.databind.json.JsonMapper;

/**
 * How every API request is read: JSON bodies strictly ({@link StrictJson}: a value of the wrong
 * type, an unknown field or a duplicate key is refused, never coerced or ignored), and no text from
 * the request may hold a NUL character ({@link NulCharacters}), which PostgreSQL cannot store and
 * MariaDB would.
 */
@Configuration(proxyBeanMethods = false)
class RequestBodies implements WebMvcConfigurer {

  /**
   * Spring MVC's JSON converter, with the application's mapper reading strictly. It takes the place
   * of the one Spring Boot sets (in the same position among the converters), after Boot's own
   * customizer has run.
   */
  @Bean
  @Order(Ordered.LOWEST_PRECEDENCE)
  ServerHttpMessageConvertersCustomizer strictJsonConverter(JsonMapper json) {
    JsonMapper strict = StrictJson.strict(json);
    return converters -> converters.withJsonConverter(new JacksonJsonHttpMessageConverter(strict));
  }

  @Override
  public void addInterceptors(InterceptorRegistry registry) {
    // After the role check, so a caller without the role learns nothing about the parameters; not
    // on the error page, which sees the failed request's parameters again.
    registry
        .addInterceptor(new NulCharacters.ParameterGuard())
        .excludePathPatterns("/error")
        .order(Ordered.LOWEST_PRECEDENCE);
  }
}
