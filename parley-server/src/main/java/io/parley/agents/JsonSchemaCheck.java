package io.parley.agents;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * Checks that a tool's answer schema is itself a valid JSON Schema, by validating it against the
 * draft 2020-12 meta-schema (bundled in the validator library, so nothing is fetched).
 */
@Component
class JsonSchemaCheck {

  static final String META_SCHEMA = "https://json-schema.org/draft/2020-12/schema";

  private final Schema metaSchema;

  JsonSchemaCheck() {
    SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    this.metaSchema = registry.getSchema(SchemaLocation.of(META_SCHEMA));
  }

  /** Why the schema is not acceptable, or empty when it is. */
  Optional<String> problem(JsonNode schema) {
    if (schema == null || !schema.isObject()) {
      return Optional.of("must be a JSON Schema object");
    }
    List<Error> errors = metaSchema.validate(schema);
    if (errors.isEmpty()) {
      return Optional.empty();
    }
    Error first = errors.getFirst();
    String where = first.getInstanceLocation().toString();
    return Optional.of(
        "is not a valid JSON Schema (draft 2020-12): "
            + (where.isEmpty() || where.equals("$") ? "" : where + " ")
            + first.getMessage());
  }
}
