package io.parley.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.parley.ParleyApplication;
import io.parley.calls.CallRecords;
import io.parley.shared.Actor;
import io.parley.shared.Organisations;
import io.parley.support.DatabaseCleaner;
import io.parley.support.LoopbackServer;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Parley stops between an event and its delivery: the first run records a call's end (its job
 * poller never polls) and shuts down; the receiver is not even listening yet. Parley starts again
 * on the same database and the receiver gets {@code call.ended}, signed with the endpoint's secret.
 */
@Tag("db")
class WebhookRestartTest {

  private ConfigurableApplicationContext running;
  private WebhookReceiver receiver;

  @AfterEach
  void tearDown() {
    if (running != null) {
      running.close();
    }
    if (receiver != null) {
      receiver.close();
    }
  }

  @Test
  void anEventRecordedBeforeARestartIsDeliveredAfterIt() throws Exception {
    int port = LoopbackServer.freePort();
    running = start("webhook-first-run", "parley.jobs.poll-interval=1h");
    DataSource dataSource = running.getBean(DataSource.class);
    DatabaseCleaner.clean(dataSource);
    WebhookCalls.createAgent(dataSource);
    WebhookEndpoint endpoint =
        running
            .getBean(EndpointService.class)
            .create(
                Organisations.DEFAULT_ID,
                new EndpointRequest(
                    "http://127.0.0.1:" + port + "/hooks", List.of("call.ended"), null, null),
                new Actor(UUID.randomUUID(), "admin@parley.test"));
    CallRecords records = running.getBean(CallRecords.class);
    UUID call = WebhookCalls.answeredCall(records);
    WebhookCalls.end(records, call);

    JdbcClient jdbc = JdbcClient.create(dataSource);
    assertThat(jdbc.sql("SELECT type FROM webhook_event").query(String.class).list())
        .containsExactly("call.ended");
    assertThat(
            jdbc.sql("SELECT COUNT(*) FROM job WHERE kind = 'webhook.delivery'")
                .query(Long.class)
                .single())
        .isEqualTo(1);
    running.close();

    receiver = new WebhookReceiver(port);
    running = start("webhook-second-run", "parley.webhooks.retry-backoff=1s");

    await().atMost(Duration.ofSeconds(60)).until(() -> !receiver.received.isEmpty());
    WebhookReceiver.Received delivered = receiver.received.getFirst();
    assertThat(WebhookReceiver.verify(endpoint.secret(), delivered)).isTrue();
    JsonNode body = JsonMapper.builder().build().readTree(delivered.body());
    assertThat(body.get("type").asString()).isEqualTo("call.ended");
    assertThat(body.get("data").get("callId").asString()).isEqualTo(call.toString());
    assertThat(body.get("data").get("outcome").asString()).isEqualTo("completed");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                JdbcClient.create(running.getBean(DataSource.class))
                    .sql("SELECT status FROM webhook_delivery")
                    .query(String.class)
                    .single()
                    .equals("delivered"));
  }

  private static ConfigurableApplicationContext start(String node, String... properties) {
    String[] all = new String[properties.length + 2];
    all[0] = "server.port=0";
    all[1] = "parley.node.id=" + node;
    System.arraycopy(properties, 0, all, 2, properties.length);
    return new SpringApplicationBuilder(ParleyApplication.class)
        .profiles("test")
        .properties(all)
        .run();
  }
}
