package io.parley.prompts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.parley.shared.InvalidInputException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class PromptRendererTest {

  // Wednesday 25 November 2026, 08:33 UTC = 14:03 in India.
  private final PromptRenderer renderer =
      new PromptRenderer(Clock.fixed(Instant.parse("2026-11-25T08:33:00Z"), ZoneOffset.UTC));

  private static PromptVersion version(String content, PromptVariable... variables) {
    return new PromptVersion(
        UUID.randomUUID(),
        4,
        content,
        List.of(variables),
        null,
        UUID.randomUUID(),
        "a@b.c",
        Instant.EPOCH);
  }

  private static RenderInput input(
      Map<String, String> variables, String timeZone, String agentTimeZone, String calleePhone) {
    return new RenderInput(variables, timeZone, "Maya", agentTimeZone, "+14155550100", calleePhone);
  }

  @Test
  void fillsVariablesDefaultsAndBuiltIns() {
    PromptVersion version =
        version(
            "{{agent_name}} to {{first_name}} ({{callee_phone}} from {{caller_phone}}) in"
                + " {{city}}{{suffix}}: {{now}} / {{today}}",
            new PromptVariable("first_name", true, null, null),
            new PromptVariable("city", false, "your city", null),
            new PromptVariable("suffix", false, null, null));

    RenderedPrompt rendered =
        renderer.render(
            version, input(Map.of("first_name", "Asha"), "Asia/Kolkata", null, "+919812345678"));

    assertThat(rendered.text())
        .isEqualTo(
            "Maya to Asha (+919812345678 from +14155550100) in your city:"
                + " 2026-11-25 14:03 Asia/Kolkata / Wednesday, 25 November 2026");
    assertThat(rendered.version()).isEqualTo(4);
    assertThat(rendered.timeZone()).isEqualTo("Asia/Kolkata");
    assertThat(rendered.timeZoneSource()).isEqualTo("request");
  }

  @Test
  void blankValueOfOptionalVariableFallsBackToDefault() {
    PromptVersion version = version("In {{city}}", new PromptVariable("city", false, "Pune", null));

    assertThat(renderer.render(version, RenderInput.of(Map.of("city", "  "))).text())
        .isEqualTo("In Pune");
  }

  @Test
  void missingRequiredVariablesAndBuiltInsAreNamed() {
    PromptVersion version =
        version(
            "{{first_name}} {{plan}} {{agent_name}} {{callee_phone}}",
            new PromptVariable("first_name", true, null, null),
            new PromptVariable("plan", true, null, null));

    InvalidInputException e =
        catchThrowableOfType(
            InvalidInputException.class,
            () -> renderer.render(version, RenderInput.of(Map.of("plan", " "))));

    assertThat(e.fieldErrors())
        .containsEntry("variables.first_name", "is required")
        .containsEntry("variables.plan", "is required")
        .containsEntry("agentName", "is required: the prompt uses {{agent_name}}")
        .containsEntry("calleePhone", "is required: the prompt uses {{callee_phone}}");
  }

  @Test
  void zoneComesFromTheCalleeNumberWhenItHasExactlyOne() {
    RenderedPrompt rendered =
        renderer.render(
            version("{{now}}"), input(Map.of(), null, "Europe/Berlin", "+919812345678"));

    assertThat(rendered.timeZoneSource()).isEqualTo("callee_phone");
    assertThat(rendered.timeZone()).isIn("Asia/Kolkata", "Asia/Calcutta");
    assertThat(rendered.text()).startsWith("2026-11-25 14:03 ");
  }

  @Test
  void numbersSpanningSeveralZonesFallBackToTheAgentZone() {
    // A US toll-free number belongs to every US zone, so it says nothing about the lead.
    RenderedPrompt rendered =
        renderer.render(
            version("{{today}} {{now}}"), input(Map.of(), null, "Europe/Berlin", "+18005550100"));

    assertThat(rendered.timeZoneSource()).isEqualTo("agent");
    assertThat(rendered.text())
        .isEqualTo("Wednesday, 25 November 2026 2026-11-25 09:33 Europe/Berlin");
  }

  @Test
  void withoutAnyZoneUsesUtc() {
    RenderedPrompt rendered = renderer.render(version("{{now}}"), RenderInput.of(Map.of()));

    assertThat(rendered.text()).isEqualTo("2026-11-25 08:33 UTC");
    assertThat(rendered.timeZoneSource()).isEqualTo("default");
  }

  @Test
  void dateFollowsTheZone() {
    RenderedPrompt rendered =
        renderer.render(version("{{today}}"), input(Map.of(), "Pacific/Kiritimati", null, null));

    assertThat(rendered.text()).isEqualTo("Wednesday, 25 November 2026");
    RenderedPrompt lateUtc =
        new PromptRenderer(Clock.fixed(Instant.parse("2026-11-25T23:30:00Z"), ZoneOffset.UTC))
            .render(version("{{today}}"), input(Map.of(), "Asia/Tokyo", null, null));
    assertThat(lateUtc.text()).isEqualTo("Thursday, 26 November 2026");
  }

  @Test
  void rejectsBadZonesAndPhoneNumbers() {
    InvalidInputException e =
        catchThrowableOfType(
            InvalidInputException.class,
            () ->
                renderer.render(
                    version("hi"),
                    new RenderInput(Map.of(), "Mars/Olympus", null, "IST", "12345", "+0")));

    assertThat(e.fieldErrors())
        .containsOnlyKeys("timeZone", "agentTimeZone", "callerPhone", "calleePhone");
  }

  @Test
  void hindiValuesRoundTripAndCannotInjectPlaceholders() {
    PromptVersion version =
        version(
            "नमस्ते {{naam}}, मैं {{agent_name}} बोल रही हूँ।",
            new PromptVariable("naam", true, null, "ग्राहक का नाम"));

    RenderedPrompt rendered =
        renderer.render(
            version,
            new RenderInput(Map.of("naam", "प्रिया {{now}}"), null, "सीमा", null, null, null));

    assertThat(rendered.text()).isEqualTo("नमस्ते प्रिया { {now}}, मैं सीमा बोल रही हूँ।");
  }
}
