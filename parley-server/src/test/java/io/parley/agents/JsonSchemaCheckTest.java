package io.parley.agents;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonSchemaCheckTest {

  private final JsonSchemaCheck check = new JsonSchemaCheck();

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{}",
        "{\"type\": \"string\", \"enum\": [\"yes\", \"no\"]}",
        "{\"type\": \"object\", \"properties\": {\"score\": {\"type\": \"integer\", \"minimum\": 1,"
            + " \"maximum\": 5}}, \"required\": [\"score\"], \"additionalProperties\": false}",
        "{\"$schema\": \"https://json-schema.org/draft/2020-12/schema\", \"type\": [\"string\","
            + " \"null\"]}"
      })
  void acceptsValidSchemas(String schema) {
    assertThat(check.problem(AgentFixtures.MAPPER.readTree(schema))).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"type\": \"strin\"}",
        "{\"type\": 5}",
        "{\"properties\": 3}",
        "{\"required\": \"name\"}",
        "{\"minLength\": -1}",
        "{\"type\": \"object\", \"properties\": {\"a\": {\"type\": \"nope\"}}}"
      })
  void rejectsSchemasTheMetaSchemaRejects(String schema) {
    assertThat(check.problem(AgentFixtures.MAPPER.readTree(schema)))
        .hasValueSatisfying(p -> assertThat(p).startsWith("is not a valid JSON Schema"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"string\"", "true", "[]", "42"})
  void insistsOnASchemaObject(String schema) {
    assertThat(check.problem(AgentFixtures.MAPPER.readTree(schema)))
        .contains("must be a JSON Schema object");
  }
}
