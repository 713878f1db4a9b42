package io.parley.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.agents.AnalysisConfig;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class AnswerCheckTest {

  static final JsonMapper MAPPER = JsonMapper.builder().build();

  private static AnswerCheck check(List<String> categories, String schema) {
    return new AnswerCheck(
        new AnalysisConfig(true, null, categories, schema == null ? null : MAPPER.readTree(schema)),
        MAPPER);
  }

  @Test
  void aValidAnswerIsNormalised() throws Exception {
    AnswerCheck.Valid valid =
        check(List.of("Booked", "No booking"), "{\"type\": \"object\", \"required\": [\"party\"]}")
            .check(
                """
                ```json
                {"summary": "  Booked for two. ", "category": " booked", "sentiment": "Positive",
                 "fields": {"party": 2}}
                ```""");
    assertThat(valid.summary()).isEqualTo("Booked for two.");
    assertThat(valid.category()).isEqualTo("Booked");
    assertThat(valid.sentiment()).isEqualTo("positive");
    assertThat(MAPPER.readTree(valid.fieldsJson())).isEqualTo(MAPPER.readTree("{\"party\": 2}"));
  }

  @Test
  void withoutCategoriesOrSchemaThoseAnswersAreIgnored() throws Exception {
    AnswerCheck.Valid valid =
        check(List.of(), null)
            .check(
                "{\"summary\": \"s\", \"category\": \"x\", \"sentiment\": \"neutral\","
                    + " \"fields\": 3}");
    assertThat(valid.category()).isNull();
    assertThat(valid.fieldsJson()).isNull();
  }

  @Test
  void eachInvalidPartIsNamed() {
    AnswerCheck check = check(List.of("a"), "{\"type\": \"object\", \"required\": [\"n\"]}");
    assertThatThrownBy(() -> check.check("Sure! Here it is."))
        .hasMessage("it must be one JSON object and nothing else");
    assertThatThrownBy(() -> check.check("[1]"))
        .hasMessage("it must be one JSON object and nothing else");
    assertThatThrownBy(() -> check.check("{\"summary\": \" \"}"))
        .hasMessage("\"summary\" must be a non-empty string");
    assertThatThrownBy(
            () -> check.check("{\"summary\": \"" + "x".repeat(4001) + "\", \"sentiment\": \"x\"}"))
        .hasMessageContaining("at most 4000");
    assertThatThrownBy(() -> check.check("{\"summary\": \"s\", \"sentiment\": \"angry\"}"))
        .hasMessageContaining("\"sentiment\" must be");
    assertThatThrownBy(
            () -> check.check("{\"summary\": \"s\", \"sentiment\": \"neutral\", \"category\": 1}"))
        .hasMessage("\"category\" must be exactly one of [\"a\"]");
    assertThatThrownBy(
            () ->
                check.check(
                    "{\"summary\": \"s\", \"sentiment\": \"neutral\", \"category\": \"a\"}"))
        .hasMessage("\"fields\" must be a JSON object");
    assertThatThrownBy(
            () ->
                check.check(
                    "{\"summary\": \"s\", \"sentiment\": \"neutral\", \"category\": \"a\","
                        + " \"fields\": {}}"))
        .hasMessageStartingWith("\"fields\" does not match the schema")
        .hasMessageContaining("n");
  }

  @Test
  void aRemoteReferenceIsNeverFetched() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      AtomicBoolean contacted = new AtomicBoolean();
      Thread listener =
          Thread.ofVirtual()
              .start(
                  () -> {
                    try (Socket ignored = socket.accept()) {
                      contacted.set(true);
                    } catch (IOException closed) {
                      // the test is over
                    }
                  });
      AnswerCheck check =
          check(
              List.of(),
              "{\"type\": \"object\", \"properties\": {\"n\": {\"$ref\":"
                  + " \"http://127.0.0.1:"
                  + socket.getLocalPort()
                  + "/n.json\"}}}");
      assertThatThrownBy(
              () ->
                  check.check(
                      "{\"summary\": \"s\", \"sentiment\": \"neutral\", \"fields\":"
                          + " {\"n\": 1}}"))
          .isInstanceOf(AnswerCheck.UnusableSchema.class)
          .hasMessageStartingWith("the agent's analysis schema cannot be applied");
      socket.close();
      listener.join();
      assertThat(contacted).isFalse();
    }
  }
}
