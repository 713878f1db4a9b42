package io.parley.agents;

import io.parley.shared.InvalidInputException;
import io.parley.shared.StrictJson;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.exc.InvalidTypeIdException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.exc.ValueInstantiationException;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Converts agent configurations between requests, the database's config document and snapshots. */
@Component
class AgentJson {

  /** Fields that live in their own columns rather than in the config document. */
  private static final List<String> COLUMN_FIELDS =
      List.of("name", "promptId", "promptVersion", "twilioNumber");

  /** Fields of a response that a client may send back unchanged; they are not configuration. */
  private static final Set<String> READ_ONLY_FIELDS =
      Set.of("id", "version", "createdAt", "updatedAt", "createdBy", "updatedBy", "status");

  private final JsonMapper mapper;
  private final JsonMapper strictMapper;

  AgentJson(JsonMapper mapper) {
    this.mapper = mapper;
    // Requests are read strictly so that a misspelt setting is reported instead of defaulted,
    // and a value of the wrong type instead of coerced (true is not the name "true").
    this.strictMapper = StrictJson.strict(mapper);
  }

  /** Reads a request body; shape errors become 422 naming the field. */
  AgentConfig read(ObjectNode body) {
    ObjectNode copy = body.deepCopy();
    READ_ONLY_FIELDS.forEach(copy::remove);
    try {
      return strictMapper.treeToValue(copy, AgentConfig.class);
    } catch (JacksonException e) {
      throw new InvalidInputException(path(e), problem(e));
    }
  }

  /** The whole configuration, as calls store it. */
  String full(AgentConfig config) {
    return mapper.writeValueAsString(config);
  }

  /** Reads what {@link #full} wrote (leniently: a newer version may have added fields). */
  AgentConfig readSnapshot(String full) {
    try {
      AgentConfig config = mapper.readValue(full, AgentConfig.class);
      if (config == null) {
        throw new IllegalArgumentException("An agent snapshot must be a JSON object");
      }
      return config;
    } catch (JacksonException e) {
      throw new IllegalArgumentException("Not an agent snapshot: " + e.getOriginalMessage(), e);
    }
  }

  ObjectNode tree(AgentConfig config) {
    return mapper.valueToTree(config);
  }

  /** The config document: everything except what has its own column. */
  String document(AgentConfig config) {
    ObjectNode tree = tree(config);
    COLUMN_FIELDS.forEach(tree::remove);
    return mapper.writeValueAsString(tree);
  }

  /** Rebuilds a configuration from its columns and config document. */
  AgentConfig fromStored(
      String document, String name, UUID promptId, Integer promptVersion, String twilioNumber) {
    ObjectNode tree = (ObjectNode) mapper.readTree(document);
    tree.put("name", name);
    tree.put("promptId", promptId.toString());
    if (promptVersion != null) {
      tree.put("promptVersion", promptVersion);
    }
    if (twilioNumber != null) {
      tree.put("twilioNumber", twilioNumber);
    }
    return mapper.treeToValue(tree, AgentConfig.class);
  }

  private static String path(JacksonException e) {
    StringBuilder path = new StringBuilder();
    for (JacksonException.Reference reference : e.getPath()) {
      if (reference.getPropertyName() != null) {
        if (!path.isEmpty()) {
          path.append('.');
        }
        path.append(reference.getPropertyName());
      } else if (reference.getIndex() >= 0) {
        path.append('[').append(reference.getIndex()).append(']');
      }
    }
    return path.isEmpty() ? "body" : path.toString();
  }

  private static String problem(JacksonException e) {
    return switch (e) {
      case UnrecognizedPropertyException unknown -> "is not a known field";
      case InvalidTypeIdException badType ->
          "needs a type: end_call, switch_prompt, record_answer, transfer_call, opt_out or"
              + " schedule_callback";
      case ValueInstantiationException bad
          when bad.getCause() instanceof IllegalArgumentException cause ->
          cause.getMessage();
      default -> "has the wrong type or format";
    };
  }
}
