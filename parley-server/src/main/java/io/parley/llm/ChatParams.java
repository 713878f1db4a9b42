package io.parley.llm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.openai.core.JsonValue;
import com.openai.core.ObjectMappers;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletionAssistantMessageParam;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Translates an {@link LlmRequest} into openai-java's request parameters. */
final class ChatParams {

  private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {};

  private ChatParams() {}

  /**
   * @throws IllegalArgumentException when a tool's parameters are not a JSON object
   */
  static ChatCompletionCreateParams of(LlmRequest request) {
    ChatCompletionCreateParams.Builder params =
        ChatCompletionCreateParams.builder()
            .model(request.model())
            .user(request.user())
            .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build());
    if (request.temperature() != null) {
      params.temperature(request.temperature());
    }
    for (LlmMessage message : request.messages()) {
      switch (message) {
        case LlmMessage.System system -> params.addSystemMessage(system.text());
        case LlmMessage.User user -> params.addUserMessage(user.text());
        case LlmMessage.Assistant assistant -> params.addMessage(assistant(assistant));
        case LlmMessage.ToolResult result ->
            params.addMessage(
                ChatCompletionToolMessageParam.builder()
                    .toolCallId(result.toolCallId())
                    .content(result.content())
                    .build());
      }
    }
    if (TOOLS.size() >= CACHED_TOOLS) {
      TOOLS.clear();
    }
    for (LlmTool tool : request.tools()) {
      params.addTool(TOOLS.computeIfAbsent(tool, ChatParams::definition));
    }
    return params.build();
  }

  /**
   * A call's tools are the same on every turn, and turning a JSON Schema into the SDK's objects
   * (parse, then wrap every value) was a measurable part of the time between the caller's last word
   * and the model request; the SDK's tool objects are immutable, so each is made once. Bounded: an
   * operator editing tool schemas all day starts the cache over rather than growing it.
   */
  private static final int CACHED_TOOLS = 512;

  private static final ConcurrentHashMap<LlmTool, ChatCompletionFunctionTool> TOOLS =
      new ConcurrentHashMap<>();

  private static ChatCompletionFunctionTool definition(LlmTool tool) {
    return ChatCompletionFunctionTool.builder()
        .function(
            FunctionDefinition.builder()
                .name(tool.name())
                .description(tool.description())
                .parameters(parameters(tool))
                .build())
        .build();
  }

  private static ChatCompletionAssistantMessageParam assistant(LlmMessage.Assistant message) {
    ChatCompletionAssistantMessageParam.Builder builder =
        ChatCompletionAssistantMessageParam.builder();
    if (!message.text().isEmpty()) {
      builder.content(message.text());
    }
    for (LlmEvent.ToolCall call : message.toolCalls()) {
      builder.addToolCall(
          ChatCompletionMessageFunctionToolCall.builder()
              .id(call.id())
              .function(
                  ChatCompletionMessageFunctionToolCall.Function.builder()
                      .name(call.name())
                      .arguments(call.argumentsJson())
                      .build())
              .build());
    }
    return builder.build();
  }

  private static FunctionParameters parameters(LlmTool tool) {
    Map<String, Object> schema;
    try {
      schema = ObjectMappers.jsonMapper().readValue(tool.parametersJson(), OBJECT);
    } catch (JsonProcessingException | ClassCastException e) {
      throw new IllegalArgumentException(
          "Tool '" + tool.name() + "' has parameters that are not a JSON object", e);
    }
    if (schema == null) {
      throw new IllegalArgumentException(
          "Tool '" + tool.name() + "' has parameters that are not a JSON object");
    }
    FunctionParameters.Builder builder = FunctionParameters.builder();
    schema.forEach((key, value) -> builder.putAdditionalProperty(key, JsonValue.from(value)));
    return builder.build();
  }
}
