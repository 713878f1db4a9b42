package io.parley.web;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI description behind the Swagger UI, with the bearer scheme so "Authorize" accepts an
 * access token from {@code POST /api/auth/login}.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

  private static final String BEARER = "bearer";

  @Bean
  OpenAPI parleyOpenApi(ObjectProvider<BuildProperties> build) {
    BuildProperties properties = build.getIfAvailable();
    return new OpenAPI()
        .info(
            new Info()
                .title("Parley API")
                .version(properties == null ? "dev" : properties.getVersion())
                .description(
                    "AI phone dialer and contact center. Sign in with POST /api/auth/login and use"
                        + " the access token as a bearer token. Errors are RFC 9457 problem"
                        + " details."))
        .components(
            new Components()
                .addSecuritySchemes(
                    BEARER,
                    new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP)
                        .scheme("bearer")
                        .bearerFormat("JWT")))
        .addSecurityItem(new SecurityRequirement().addList(BEARER));
  }
}
