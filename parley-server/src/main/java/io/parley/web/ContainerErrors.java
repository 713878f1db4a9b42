package io.parley.web;

import java.io.IOException;
import java.io.Writer;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.Container;
import org.apache.catalina.Valve;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;

/**
 * Errors the servlet container answers itself, before any filter or controller runs: a path with an
 * encoded slash or NUL ({@code %2F}, {@code %00}), headers over the size limit, a request line it
 * cannot parse. Tomcat renders those with its error report valve as an HTML page; this puts a valve
 * in its place that writes the same RFC 9457 problem detail as every other error.
 *
 * <p>It runs after Spring Boot's own customizer (which adds a plain {@link ErrorReportValve} to
 * hide the server version) and replaces that valve.
 */
@Component
class ContainerErrors
    implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, Ordered {

  @Override
  public void customize(TomcatServletWebServerFactory factory) {
    factory.addContextCustomizers(
        context -> {
          Container parent = context.getParent();
          for (Valve valve : parent.getPipeline().getValves()) {
            if (valve instanceof ErrorReportValve) {
              parent.getPipeline().removeValve(valve);
            }
          }
          parent.getPipeline().addValve(new ProblemValve());
          if (parent instanceof StandardHost host) {
            // so the host does not add Tomcat's HTML valve when it starts
            host.setErrorReportValveClass(ProblemValve.class.getName());
          }
        });
  }

  @Override
  public int getOrder() {
    return Ordered.LOWEST_PRECEDENCE;
  }

  /** Writes a problem detail for an error nobody else has answered. */
  public static final class ProblemValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
      int code = response.getStatus();
      // As Tomcat's own valve: only errors, only when nothing was written, only once.
      if (code < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
        return;
      }
      AtomicBoolean ioAllowed = new AtomicBoolean(false);
      response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
      if (!ioAllowed.get()) {
        return;
      }
      HttpStatus status = HttpStatus.resolve(code);
      String title = status == null ? "Error" : status.getReasonPhrase();
      String detail =
          code == 400
              ? "The request is malformed (check the path, headers and body)."
              : code >= 500
                  ? "Something went wrong on our side; it has been logged."
                  : "The request failed: " + title + ".";
      try {
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setCharacterEncoding("UTF-8");
        Writer writer = response.getReporter();
        if (writer != null) {
          // The title and detail are fixed texts: nothing from the request is echoed.
          writer.write(
              "{\"type\":\"about:blank\",\"title\":\""
                  + title
                  + "\",\"status\":"
                  + code
                  + ",\"detail\":\""
                  + detail
                  + "\"}");
          response.finishResponse();
        }
      } catch (IOException | IllegalStateException e) {
        // the client is gone; there is nobody to tell
      }
    }
  }
}
