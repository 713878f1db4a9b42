package io.parley.calls;

import io.parley.shared.InvalidInputException;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Checks and reads the JSON documents a call stores (snapshot, lead variables, answers, tools). */
@Component
class CallJson {

  private final JsonMapper mapper;

  CallJson(JsonMapper mapper) {
    this.mapper = mapper;
  }

  /** Requires a JSON object (or null) so that a bad document is refused before it is stored. */
  ObjectNode object(String field, String json) {
    if (json == null) {
      return null;
    }
    if (!(parse(field, json) instanceof ObjectNode object)) {
      throw new InvalidInputException(field, "must be a JSON object");
    }
    return object;
  }

  /** Requires any JSON value (or null). */
  JsonNode value(String field, String json) {
    return json == null ? null : parse(field, json);
  }

  JsonNode tree(String json) {
    return json == null ? null : mapper.readTree(json);
  }

  String write(JsonNode node) {
    return mapper.writeValueAsString(node);
  }

  private JsonNode parse(String field, String json) {
    try {
      JsonNode node = mapper.readTree(json);
      if (node == null || node.isMissingNode()) {
        throw new InvalidInputException(field, "must be JSON");
      }
      return node;
    } catch (JacksonException e) {
      throw new InvalidInputException(field, "must be valid JSON");
    }
  }
}
