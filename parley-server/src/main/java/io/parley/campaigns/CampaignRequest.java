package io.parley.campaigns;

import io.parley.shared.InvalidInputException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The body of {@code POST /api/campaigns} and {@code PUT /api/campaigns/{id}}: a name and the
 * settings, every problem reported at once under its JSON path.
 */
record CampaignRequest(String name, CampaignSettings settings) {

  static final int MAX_NAME = 200;
  private static final Set<String> FIELDS = Set.of("name", "settings");

  static CampaignRequest parse(ObjectNode body) {
    if (body == null) {
      throw new InvalidInputException("body", "is required: a JSON object");
    }
    Map<String, String> errors = new LinkedHashMap<>();
    for (String field : body.propertyNames()) {
      if (!FIELDS.contains(field)) {
        errors.put(field, "is not a field of a campaign");
      }
    }
    String name = null;
    JsonNode nameNode = body.get("name");
    if (nameNode == null
        || nameNode.isNull()
        || !nameNode.isString()
        || nameNode.asString().isBlank()) {
      errors.put("name", "is required: a name people will recognise");
    } else if (nameNode.asString().strip().length() > MAX_NAME) {
      errors.put("name", "is longer than " + MAX_NAME + " characters");
    } else {
      name = nameNode.asString().strip();
    }
    CampaignSettings settings = CampaignSettings.parse(body.get("settings"), "settings.", errors);
    if (!errors.isEmpty()) {
      throw new InvalidInputException(errors);
    }
    return new CampaignRequest(name, settings);
  }
}
