package io.parley.llm;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.support.DbTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The adapter as the application wires it: one LanguageModel bean, defaults bound. */
@DbTest
class LanguageModelWiringTest {

  @Autowired LanguageModel model;
  @Autowired LlmProperties properties;

  @Test
  void theOpenAiCompatibleAdapterIsTheLanguageModel() {
    assertThat(model).isInstanceOf(OpenAiLanguageModel.class);
    assertThat(properties).isEqualTo(LlmProperties.defaults());
  }

  @Test
  void aProviderWithoutKeyFailsAtOnceInsteadOfCallingOut() {
    List<LlmEvent> events = new ArrayList<>();
    LlmRequest request =
        new LlmRequest(
            "xai",
            "grok-4-fast-non-reasoning",
            null,
            "call-1",
            List.of(new LlmMessage.User("hi")),
            List.of(),
            Duration.ofSeconds(1));

    model.stream(request, events::add).run();

    assertThat(events)
        .singleElement()
        .isInstanceOfSatisfying(
            LlmEvent.Failed.class, f -> assertThat(f.kind()).isEqualTo(LlmEvent.FailureKind.AUTH));
  }
}
