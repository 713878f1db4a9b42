package io.parley.llm;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.models.chat.completions.ChatCompletionChunk.Choice.FinishReason;
import org.junit.jupiter.api.Test;

class FinishReasonTest {

  @Test
  void mapsTheKnownReasonsAndAnythingElseToOther() {
    assertThat(OpenAiCall.finishReason(FinishReason.of("stop")))
        .isEqualTo(LlmEvent.FinishReason.STOP);
    assertThat(OpenAiCall.finishReason(FinishReason.of("length")))
        .isEqualTo(LlmEvent.FinishReason.LENGTH);
    assertThat(OpenAiCall.finishReason(FinishReason.of("tool_calls")))
        .isEqualTo(LlmEvent.FinishReason.TOOL_CALLS);
    assertThat(OpenAiCall.finishReason(FinishReason.of("function_call")))
        .isEqualTo(LlmEvent.FinishReason.TOOL_CALLS);
    assertThat(OpenAiCall.finishReason(FinishReason.of("content_filter")))
        .isEqualTo(LlmEvent.FinishReason.CONTENT_FILTER);
    assertThat(OpenAiCall.finishReason(FinishReason.of("end_turn")))
        .isEqualTo(LlmEvent.FinishReason.OTHER);
  }
}
