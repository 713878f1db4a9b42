package io.parley.llm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FinishReasonTest {

  @Test
  void mapsTheKnownReasonsAndAnythingElseToOther() {
    assertThat(OpenAiCall.finishReason("stop")).isEqualTo(LlmEvent.FinishReason.STOP);
    assertThat(OpenAiCall.finishReason("length")).isEqualTo(LlmEvent.FinishReason.LENGTH);
    assertThat(OpenAiCall.finishReason("tool_calls")).isEqualTo(LlmEvent.FinishReason.TOOL_CALLS);
    assertThat(OpenAiCall.finishReason("function_call"))
        .isEqualTo(LlmEvent.FinishReason.TOOL_CALLS);
    assertThat(OpenAiCall.finishReason("content_filter"))
        .isEqualTo(LlmEvent.FinishReason.CONTENT_FILTER);
    assertThat(OpenAiCall.finishReason("end_turn")).isEqualTo(LlmEvent.FinishReason.OTHER);
  }
}
