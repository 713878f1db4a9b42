package io.parley.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import java.time.Duration;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.RequestPostProcessor;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Agents made through {@code /api/agents} as the given caller, and the state of their number sync.
 *
 * <pre>{@code
 * String id = new AgentRequests(mvc, operator()).createAndAwaitNumberSync(body);
 * }</pre>
 */
public final class AgentRequests {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final MockMvc mvc;
  private final RequestPostProcessor as;

  public AgentRequests(MockMvc mvc, RequestPostProcessor as) {
    this.mvc = mvc;
    this.as = as;
  }

  /** Posts the agent and returns the response body, whatever its status. */
  public JsonNode create(String body) throws Exception {
    String created =
        mvc.perform(
                post("/api/agents").with(as).contentType(MediaType.APPLICATION_JSON).content(body))
            .andReturn()
            .getResponse()
            .getContentAsString();
    return JSON.readTree(created);
  }

  /**
   * Creates the agent, asserts that it got an id, and waits (10 s at most) until its number is
   * synced: saving an agent points its number's voice URL at Parley in the background.
   */
  public String createAndAwaitNumberSync(String body) throws Exception {
    JsonNode created = create(body);
    String id = created.path("id").asString();
    assertThat(id).as(created.toString()).isNotEmpty();
    await().atMost(Duration.ofSeconds(10)).until(() -> numberSync(id).equals("synced"));
    return id;
  }

  /** The agent's {@code status.numberSync}: pending, synced or {@code failed: <reason>}. */
  public String numberSync(String agentId) throws Exception {
    String agent =
        mvc.perform(get("/api/agents/" + agentId).with(as))
            .andReturn()
            .getResponse()
            .getContentAsString();
    return JSON.readTree(agent).path("status").path("numberSync").asString();
  }
}
