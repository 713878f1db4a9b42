package io.parley.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.core.JsonValue;
import com.openai.models.FunctionDefinition;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionTool;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Tool definitions are made once per tool; every turn must still carry exactly its own tools. */
class ChatParamsTest {

  private static final String REASON =
      "{\"type\":\"object\",\"properties\":{\"reason\":{\"type\":\"string\"}},"
          + "\"required\":[\"reason\"]}";

  @Test
  void everyTurnCarriesItsToolsWithTheirSchemas() {
    LlmTool endCall = new LlmTool("end_call", "Ends the call", REASON);

    for (int turn = 0; turn < 3; turn++) {
      ChatCompletionCreateParams params = ChatParams.of(request(List.of(endCall)));

      FunctionDefinition function = only(params).asFunction().function();
      assertThat(function.name()).isEqualTo("end_call");
      assertThat(function.description()).contains("Ends the call");
      Map<String, JsonValue> schema = function.parameters().orElseThrow()._additionalProperties();
      assertThat(schema.get("type")).isEqualTo(JsonValue.from("object"));
      assertThat(schema.get("required")).isEqualTo(JsonValue.from(List.of("reason")));
    }
  }

  @Test
  void aToolWhoseSchemaChangedIsSentWithTheNewSchema() {
    ChatParams.of(request(List.of(new LlmTool("record_answer", "", REASON))));
    String changed =
        "{\"type\":\"object\",\"properties\":{\"answer\":{\"type\":\"integer\"}},"
            + "\"required\":[\"answer\"]}";

    ChatCompletionCreateParams params =
        ChatParams.of(request(List.of(new LlmTool("record_answer", "", changed))));

    Map<String, JsonValue> schema =
        only(params).asFunction().function().parameters().orElseThrow()._additionalProperties();
    assertThat(schema.get("required")).isEqualTo(JsonValue.from(List.of("answer")));
  }

  @Test
  void aBrokenSchemaIsRefusedEveryTimeNotOnlyTheFirst() {
    LlmTool broken = new LlmTool("broken", "", "[1,2]");

    for (int turn = 0; turn < 2; turn++) {
      assertThatThrownBy(() -> ChatParams.of(request(List.of(broken))))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("broken");
    }
  }

  @Test
  void aTurnWithoutToolsSendsNone() {
    ChatParams.of(request(List.of(new LlmTool("end_call", "", REASON))));

    assertThat(ChatParams.of(request(List.of())).tools()).isEmpty();
  }

  private static ChatCompletionTool only(ChatCompletionCreateParams params) {
    List<ChatCompletionTool> tools = params.tools().orElseThrow();
    assertThat(tools).hasSize(1);
    return tools.getFirst();
  }

  private static LlmRequest request(List<LlmTool> tools) {
    return new LlmRequest(
        "sim",
        "grok-4-fast-non-reasoning",
        null,
        "call-1",
        List.of(new LlmMessage.User("hi")),
        tools,
        Duration.ofSeconds(5));
  }
}
