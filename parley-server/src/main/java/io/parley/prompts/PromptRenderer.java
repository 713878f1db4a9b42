package io.parley.prompts;

import io.parley.shared.InvalidInputException;
import java.time.Clock;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Fills a prompt version with one lead's data and the built-ins. Pure apart from the clock, so it
 * is tested without Spring.
 */
final class PromptRenderer {

  static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{1,14}");

  private static final ZoneId UTC = ZoneId.of("UTC");
  private static final DateTimeFormatter NOW =
      DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm VV", Locale.ENGLISH);
  private static final DateTimeFormatter TODAY =
      DateTimeFormatter.ofPattern("EEEE, d MMMM uuuu", Locale.ENGLISH);

  private final Clock clock;

  PromptRenderer(Clock clock) {
    this.clock = clock;
  }

  /** Where the zone of {@code now} and {@code today} came from, in order of preference. */
  private record ChosenZone(ZoneId zone, String source) {}

  RenderedPrompt render(PromptVersion version, RenderInput input) {
    Map<String, String> errors = new LinkedHashMap<>();
    Optional<ZoneId> leadZone = zoneField(errors, "timeZone", input.timeZone());
    Optional<ZoneId> agentZone = zoneField(errors, "agentTimeZone", input.agentTimeZone());
    String callerPhone = phoneField(errors, "callerPhone", input.callerPhone());
    String calleePhone = phoneField(errors, "calleePhone", input.calleePhone());

    Template template = Template.parse(version.content());
    Map<String, String> values = new LinkedHashMap<>();
    for (PromptVariable variable : version.variables()) {
      String value = input.variables().get(variable.name());
      if (value != null && value.length() > PromptRules.VALUE_MAX) {
        errors.put(
            "variables." + variable.name(),
            "must be at most " + PromptRules.VALUE_MAX + " characters");
      } else if (value != null && !value.isBlank()) {
        values.put(variable.name(), value);
      } else if (variable.required()) {
        errors.put("variables." + variable.name(), "is required");
      } else {
        values.put(variable.name(), variable.defaultValue() == null ? "" : variable.defaultValue());
      }
    }
    ChosenZone zone = chooseZone(leadZone, calleePhone, agentZone);
    ZonedDateTime now = ZonedDateTime.now(clock.withZone(zone.zone()));
    for (String name : template.placeholderNames()) {
      switch (name) {
        case "agent_name" -> builtIn(errors, values, name, "agentName", input.agentName());
        case "caller_phone" -> builtIn(errors, values, name, "callerPhone", callerPhone);
        case "callee_phone" -> builtIn(errors, values, name, "calleePhone", calleePhone);
        case "now" -> values.put(name, NOW.format(now));
        case "today" -> values.put(name, TODAY.format(now));
        default -> {
          // a declared variable, filled above
        }
      }
    }
    if (!errors.isEmpty()) {
      throw new InvalidInputException(errors);
    }
    return new RenderedPrompt(
        version.promptId(),
        version.number(),
        template.render(values::get),
        zone.zone().getId(),
        zone.source());
  }

  private static ChosenZone chooseZone(
      Optional<ZoneId> leadZone, String calleePhone, Optional<ZoneId> agentZone) {
    if (leadZone.isPresent()) {
      return new ChosenZone(leadZone.get(), "request");
    }
    Optional<ZoneId> phoneZone =
        calleePhone == null ? Optional.empty() : PhoneTimeZones.of(calleePhone);
    if (phoneZone.isPresent()) {
      return new ChosenZone(phoneZone.get(), "callee_phone");
    }
    return agentZone
        .map(zone -> new ChosenZone(zone, "agent"))
        .orElseGet(() -> new ChosenZone(UTC, "default"));
  }

  private static void builtIn(
      Map<String, String> errors,
      Map<String, String> values,
      String name,
      String field,
      String value) {
    if (value == null || value.isBlank()) {
      errors.putIfAbsent(field, "is required: the prompt uses {{" + name + "}}");
    } else if (value.length() > PromptRules.VALUE_MAX) {
      errors.putIfAbsent(field, "must be at most " + PromptRules.VALUE_MAX + " characters");
    } else {
      values.put(name, value);
    }
  }

  private static Optional<ZoneId> zoneField(Map<String, String> errors, String field, String name) {
    if (name == null || name.isBlank()) {
      return Optional.empty();
    }
    Optional<ZoneId> zone = TimeZones.parse(name);
    if (zone.isEmpty()) {
      errors.put(field, "must be an IANA time zone such as Asia/Kolkata");
    }
    return zone;
  }

  private static String phoneField(Map<String, String> errors, String field, String phone) {
    if (phone == null || phone.isBlank()) {
      return null;
    }
    if (!E164.matcher(phone).matches()) {
      errors.put(field, "must be an E.164 number such as +919812345678");
      return null;
    }
    return phone;
  }
}
