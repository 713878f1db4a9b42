package io.parley.telephony;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.providers.ProviderRegistry;
import java.net.ServerSocket;
import java.net.URI;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.core.env.MapPropertySource;

/**
 * Where Parley reaches Twilio (PARLEY_TWILIO_API_URL: an internal proxy, a simulator) is nobody's
 * business but the operator's: a failure names it in the log, never in the exception that API
 * answers (a 502 from POST /api/calls, an agent's number sync) and call records quote.
 */
@ExtendWith(OutputCaptureExtension.class)
class TwilioUnreachableTest {

  @Test
  void anUnreachableTwilioIsReportedWithoutItsAddress(CapturedOutput output) throws Exception {
    int port;
    try (ServerSocket closed = new ServerSocket(0)) {
      port = closed.getLocalPort();
    }
    String base = "http://127.0.0.1:" + port;
    TwilioCallControl control;
    try (AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext()) {
      context
          .getEnvironment()
          .getPropertySources()
          .addFirst(
              new MapPropertySource(
                  "test",
                  Map.of(
                      "PARLEY_TWILIO_API_URL",
                      base,
                      "PARLEY_TWILIO_ACCOUNT_SID",
                      "AC" + "0".repeat(32),
                      "PARLEY_TWILIO_AUTH_TOKEN",
                      "secret-token-0c8f2a")));
      context.registerBean(ProviderRegistry.class);
      context.refresh();
      control =
          new TwilioCallControl(
              context.getBean(ProviderRegistry.class),
              new io.parley.providers.OutboundHttp(
                  io.parley.providers.OutboundHttpProperties.defaults(),
                  new io.micrometer.core.instrument.simple.SimpleMeterRegistry()));
    }
    OutboundDial dial =
        new OutboundDial(
            UUID.randomUUID(),
            "+14155550188",
            "+14155550123",
            URI.create("https://parley.example.com"),
            15,
            60,
            null);

    assertThatThrownBy(() -> control.dial(dial))
        .isInstanceOfSatisfying(
            CallControlException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(CallControlException.Reason.UNAVAILABLE);
              assertThat(e.getMessage())
                  .contains("Twilio could not be reached")
                  .doesNotContain("127.0.0.1")
                  .doesNotContain(Integer.toString(port));
            });
    assertThat(output.getOut()).contains(base);
  }
}
