package io.parley.tickets;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.regex.Pattern;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * Keeps tickets and link signatures out of the logs: Spring's request logging (DispatcherServlet
 * and Spring Security at DEBUG) writes the query string, so behind this filter an {@code /api}
 * request's query string shows {@code ticket=…} instead of the ticket, and {@code sig=…} instead of
 * a signed recording link's signature (valid for minutes and reusable, so no less a credential).
 * Parameters are untouched: the endpoint still reads the real one. Other paths (Twilio's signed
 * webhooks sign their query) are left alone.
 */
@Configuration(proxyBeanMethods = false)
class TicketQueryMasking {

  private static final Pattern TICKET = Pattern.compile("(^|&)(ticket=|sig=)[^&]*");

  @Bean
  FilterRegistrationBean<HttpFilter> ticketQueryMaskingFilter() {
    FilterRegistrationBean<HttpFilter> registration =
        new FilterRegistrationBean<>(new MaskingFilter());
    registration.addUrlPatterns("/api/*");
    // A stream's async dispatch and an error dispatch are logged with the query string too.
    registration.setDispatcherTypes(
        DispatcherType.REQUEST, DispatcherType.ASYNC, DispatcherType.ERROR);
    // After the forwarded-header filter (highest), before Spring Security and the dispatcher.
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
    return registration;
  }

  static String mask(String query) {
    return query == null ? null : TICKET.matcher(query).replaceAll("$1$2…");
  }

  private static final class MaskingFilter extends HttpFilter {
    @Override
    protected void doFilter(
        HttpServletRequest request, HttpServletResponse response, FilterChain chain)
        throws ServletException, IOException {
      String query = request.getQueryString();
      if (query == null || !(query.contains("ticket=") || query.contains("sig="))) {
        chain.doFilter(request, response);
        return;
      }
      String masked = mask(query);
      chain.doFilter(
          new HttpServletRequestWrapper(request) {
            @Override
            public String getQueryString() {
              return masked;
            }
          },
          response);
    }
  }
}
