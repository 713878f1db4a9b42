package io.parley.prompts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TemplateTest {

  @Test
  void splitsTextAndPlaceholdersAllowingInnerSpaces() {
    Template template = Template.parse("Hi {{first_name}}, I am {{ agent_name }}.{{first_name}}");

    assertThat(template.placeholderNames()).containsExactly("first_name", "agent_name");
    assertThat(template.render(Map.of("first_name", "Asha", "agent_name", "Ravi")::get))
        .isEqualTo("Hi Asha, I am Ravi.Asha");
  }

  @Test
  void singleBracesAndClosingBracesAreLiteralText() {
    Template template = Template.parse("JSON like {\"a\": 1} and }} stay {x}");

    assertThat(template.placeholderNames()).isEmpty();
    assertThat(template.render(name -> "unused")).isEqualTo("JSON like {\"a\": 1} and }} stay {x}");
  }

  @Test
  void reportsAnUnclosedPlaceholderWithItsLine() {
    assertThatThrownBy(() -> Template.parse("line one\nline {{two"))
        .isInstanceOf(Template.SyntaxError.class)
        .hasMessage("has '{{' without a closing '}}' on line 2");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{{}}",
        "{{ }}",
        "{{First}}",
        "{{1st}}",
        "{{a-b}}",
        "{{{a}}}",
        "{{a {{b}}",
        "{{a b}}"
      })
  void rejectsMalformedPlaceholders(String content) {
    assertThatThrownBy(() -> Template.parse(content))
        .isInstanceOf(Template.SyntaxError.class)
        .hasMessageStartingWith("has a malformed placeholder");
  }

  @Test
  void valuesAreInsertedLiterallyAndCannotFormPlaceholders() {
    Template template = Template.parse("{{a}}{{b}} and {{c}}{ tail");

    String text = template.render(Map.of("a", "x{", "b", "{{evil}}", "c", "{")::get);

    assertThat(text).doesNotContain("{{").isEqualTo("x{ { {evil}} and { { tail");
  }

  @Test
  void keepsUnicodeIntact() {
    Template template = Template.parse("नमस्ते {{naam}} 👋, आपका ऑर्डर तैयार है।");

    assertThat(template.render(Map.of("naam", "प्रिया")::get))
        .isEqualTo("नमस्ते प्रिया 👋, आपका ऑर्डर तैयार है।");
  }
}
