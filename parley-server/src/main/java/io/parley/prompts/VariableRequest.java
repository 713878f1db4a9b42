package io.parley.prompts;

import java.util.ArrayList;
import java.util.List;

/**
 * A variable declaration as the API receives it: {@code required} may be left out and then means
 * false (a missing JSON boolean cannot bind to the primitive in {@link PromptVariable}).
 */
record VariableRequest(String name, Boolean required, String defaultValue, String description) {

  PromptVariable toVariable() {
    return new PromptVariable(name, Boolean.TRUE.equals(required), defaultValue, description);
  }

  /** Converts a list, keeping null elements so validation can name them; null stays null. */
  static List<PromptVariable> toVariables(List<VariableRequest> requests) {
    if (requests == null) {
      return null;
    }
    List<PromptVariable> variables = new ArrayList<>(requests.size());
    for (VariableRequest request : requests) {
      variables.add(request == null ? null : request.toVariable());
    }
    return variables;
  }
}
