package io.parley.analysis;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaException;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.parley.agents.AnalysisConfig;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Checks a model's answer against what was asked: a JSON object with a summary, a listed category,
 * a sentiment and fields valid against the agent's JSON Schema.
 */
final class AnswerCheck {

  static final Set<String> SENTIMENTS = Set.of("positive", "neutral", "negative");
  static final int MAX_SUMMARY = 4000;

  /** A valid answer, with the category spelt as the agent lists it. */
  record Valid(String summary, String category, String sentiment, String fieldsJson) {}

  /**
   * The agent's schema cannot be applied (it names a document that is not there: remote references
   * are not fetched); no answer can satisfy it, so the model is not asked again.
   */
  static final class UnusableSchema extends RuntimeException {
    UnusableSchema(String problem, Throwable cause) {
      super(problem, cause);
    }
  }

  /** Why the answer is not valid, in words the model is shown on its retry. */
  static final class Invalid extends Exception {
    Invalid(String problem) {
      super(problem, null, false, false);
    }
  }

  // Schemas are the operator's and may name remote documents in $ref: nothing is fetched.
  private static final SchemaRegistry SCHEMAS =
      SchemaRegistry.withDefaultDialect(
          SpecificationVersion.DRAFT_2020_12,
          builder -> builder.schemaLoader(loader -> loader.fetchRemoteResources(false)));

  private final AnalysisConfig config;
  private final JsonMapper mapper;
  private final Schema schema;

  AnswerCheck(AnalysisConfig config, JsonMapper mapper) {
    this.config = config;
    this.mapper = mapper;
    try {
      this.schema = config.schema() == null ? null : SCHEMAS.getSchema(config.schema());
    } catch (SchemaException e) {
      throw unusable(e);
    }
  }

  private static UnusableSchema unusable(SchemaException e) {
    return new UnusableSchema(
        "the agent's analysis schema cannot be applied: " + e.getMessage(), e);
  }

  Valid check(String answer) throws Invalid {
    ObjectNode object = parse(answer);
    JsonNode summary = object.path("summary");
    if (!summary.isString() || summary.asString().isBlank()) {
      throw new Invalid("\"summary\" must be a non-empty string");
    }
    if (summary.asString().length() > MAX_SUMMARY) {
      throw new Invalid("\"summary\" must be at most " + MAX_SUMMARY + " characters");
    }
    String sentiment =
        object.path("sentiment").isString() ? object.path("sentiment").asString() : "";
    sentiment = sentiment.strip().toLowerCase(Locale.ROOT);
    if (!SENTIMENTS.contains(sentiment)) {
      throw new Invalid("\"sentiment\" must be \"positive\", \"neutral\" or \"negative\"");
    }
    return new Valid(summary.asString().strip(), category(object), sentiment, fields(object));
  }

  private ObjectNode parse(String answer) throws Invalid {
    String text = unfenced(answer == null ? "" : answer.strip());
    try {
      if (mapper.readTree(text) instanceof ObjectNode object) {
        return object;
      }
    } catch (JacksonException e) {
      // Reported below.
    }
    throw new Invalid("it must be one JSON object and nothing else");
  }

  /** Models often wrap JSON in a Markdown code fence despite being asked not to. */
  private static String unfenced(String text) {
    if (text.startsWith("```") && text.endsWith("```") && text.length() >= 6) {
      String inner = text.substring(3, text.length() - 3);
      int newline = inner.indexOf('\n');
      return newline < 0 ? inner : inner.substring(newline + 1);
    }
    return text;
  }

  private String category(ObjectNode object) throws Invalid {
    List<String> categories = config.categories();
    if (categories.isEmpty()) {
      return null;
    }
    JsonNode given = object.path("category");
    if (given.isString()) {
      String wanted = given.asString().strip();
      for (String category : categories) {
        if (category.strip().equalsIgnoreCase(wanted)) {
          return category;
        }
      }
    }
    throw new Invalid(
        "\"category\" must be exactly one of " + mapper.writeValueAsString(categories));
  }

  private String fields(ObjectNode object) throws Invalid {
    if (schema == null) {
      return null;
    }
    JsonNode fields = object.path("fields");
    if (!fields.isObject()) {
      throw new Invalid("\"fields\" must be a JSON object");
    }
    List<Error> errors;
    try {
      errors = schema.validate(fields);
    } catch (SchemaException e) {
      throw unusable(e);
    }
    if (!errors.isEmpty()) {
      Error first = errors.getFirst();
      String where = first.getInstanceLocation().toString();
      throw new Invalid(
          "\"fields\" does not match the schema: "
              + (where.isEmpty() || where.equals("$") ? "" : where + " ")
              + first.getMessage());
    }
    return mapper.writeValueAsString(fields);
  }
}
