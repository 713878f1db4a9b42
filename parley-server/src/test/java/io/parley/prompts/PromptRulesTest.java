package io.parley.prompts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.parley.shared.InvalidInputException;
import java.util.List;
import org.junit.jupiter.api.Test;

class PromptRulesTest {

  private static PromptRules.Draft draft(String content, List<PromptVariable> variables) {
    return new PromptRules.Draft("Sales", null, content, variables, null);
  }

  private static java.util.Map<String, String> errors(PromptRules.Draft draft) {
    return catchThrowableOfType(InvalidInputException.class, () -> PromptRules.check(draft))
        .fieldErrors();
  }

  @Test
  void acceptsDeclaredVariablesAndBuiltIns() {
    PromptRules.check(
        draft(
            "Hi {{first_name}}, this is {{agent_name}} calling {{callee_phone}} from"
                + " {{caller_phone}} at {{now}} on {{today}}. {{city}}",
            List.of(
                new PromptVariable("first_name", true, null, "Lead's first name"),
                new PromptVariable("city", false, "your city", null))));
  }

  @Test
  void namesUndeclaredPlaceholdersUnderContent() {
    assertThat(errors(draft("Hi {{first_name}} from {{town}}", List.of())))
        .containsOnlyKeys("content")
        .extractingByKey("content")
        .asString()
        .startsWith("uses undeclared variables: first_name, town");
  }

  @Test
  void rejectsMalformedBracesUnderContent() {
    assertThat(errors(draft("Hi {{first_name", List.of())))
        .containsEntry("content", "has '{{' without a closing '}}' on line 1");
  }

  @Test
  void rejectsReservedDuplicateBadAndRequiredWithDefaultVariables() {
    var problems =
        errors(
            draft(
                "text",
                List.of(
                    new PromptVariable("now", false, null, null),
                    new PromptVariable("city", false, null, null),
                    new PromptVariable("city", false, null, null),
                    new PromptVariable("Bad-Name", false, null, null),
                    new PromptVariable("plan", true, "gold", null),
                    new PromptVariable(" ", false, null, null))));

    assertThat(problems)
        .containsEntry("variables[0].name", "'now' is built in and cannot be declared")
        .containsEntry("variables[2].name", "'city' is declared twice")
        .containsKey("variables[3].name")
        .containsKey("variables[4].defaultValue")
        .containsEntry("variables[5].name", "must not be blank")
        .doesNotContainKey("variables[1].name");
  }

  @Test
  void reportsEveryMissingOrOversizedFieldAtOnce() {
    var problems =
        errors(new PromptRules.Draft(" ", "d".repeat(2_001), "", List.of(), "n".repeat(501)));

    assertThat(problems).containsOnlyKeys("name", "description", "content", "note");
  }

  @Test
  void refusesNulCharacters() {
    assertThatThrownBy(() -> PromptRules.check(draft("a\0b", List.of())))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("content must not contain NUL characters");
  }
}
