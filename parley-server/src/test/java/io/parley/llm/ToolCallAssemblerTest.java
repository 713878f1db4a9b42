package io.parley.llm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ToolCallAssemblerTest {

  @Test
  void joinsArgumentFragmentsAndReleasesACallWhenTheNextIndexStarts() {
    ToolCallAssembler assembler = new ToolCallAssembler();

    assertThat(assembler.add(0, "call_a", "lookup", "")).isEmpty();
    assertThat(assembler.add(0, null, null, "{\"q\":")).isEmpty();
    assertThat(assembler.add(0, null, null, "\"x\"}")).isEmpty();
    assertThat(assembler.add(1, "call_b", "end_call", ""))
        .containsExactly(new LlmEvent.ToolCall("call_a", "lookup", "{\"q\":\"x\"}"));
    assertThat(assembler.finish())
        .containsExactly(new LlmEvent.ToolCall("call_b", "end_call", "{}"));
    assertThat(assembler.finish()).isEmpty();
  }

  @Test
  void wholeCallsComeOutInIndexOrder() {
    ToolCallAssembler assembler = new ToolCallAssembler();

    assertThat(assembler.add(0, "c0", "a", "{\"n\":0}")).isEmpty();
    assertThat(assembler.add(1, "c1", "b", "{\"n\":1}"))
        .containsExactly(new LlmEvent.ToolCall("c0", "a", "{\"n\":0}"));
    assertThat(assembler.add(2, "c2", "c", "{\"n\":2}"))
        .containsExactly(new LlmEvent.ToolCall("c1", "b", "{\"n\":1}"));
    assertThat(assembler.finish()).containsExactly(new LlmEvent.ToolCall("c2", "c", "{\"n\":2}"));
  }

  @Test
  void aMissingIdIsDerivedFromTheIndex() {
    ToolCallAssembler assembler = new ToolCallAssembler();
    assembler.add(3, null, "f", "{}");
    assertThat(assembler.finish()).containsExactly(new LlmEvent.ToolCall("call_3", "f", "{}"));
  }
}
