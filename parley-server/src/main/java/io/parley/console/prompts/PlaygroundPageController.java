package io.parley.console.prompts;

import io.parley.console.ConsoleUser;
import io.parley.playground.Playground;
import io.parley.prompts.Prompts;
import io.parley.shared.ConflictException;
import io.parley.shared.InvalidInputException;
import jakarta.servlet.http.HttpServletResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The chat playground under /console/prompts (OPERATOR, as the API's playground): a form starts a
 * session from an agent or a prompt and a model; the session's page posts each message (fetch with
 * the CSRF header) and reads the reply as server-sent events from a same-origin GET, which the
 * session cookie authenticates. Clear deletes the session and starts a fresh one like it.
 */
@Controller
class PlaygroundPageController {

  private static final String BASE = "/console/prompts/playground";

  private final Playground playground;
  private final Prompts prompts;

  PlaygroundPageController(Playground playground, Prompts prompts) {
    this.playground = playground;
    this.prompts = prompts;
  }

  @GetMapping(BASE)
  String start(Model model) {
    model.addAttribute("form", Map.of());
    return startPage(model);
  }

  @PostMapping(BASE)
  String create(@RequestParam Map<String, String> form, Model model) {
    try {
      Playground.Session session =
          playground.create(
              owner(),
              blankToNull(form.get("agentId")),
              blankToNull(form.get("promptId")),
              null,
              blankToNull(form.get("provider")),
              blankToNull(form.get("model")),
              LeadValues.parse(form.getOrDefault("variables", "")));
      return "redirect:" + BASE + "/" + session.id();
    } catch (InvalidInputException invalid) {
      // The lead values are one field here: "variables.restaurant: is required" goes under it.
      Map<String, String> errors = new LinkedHashMap<>();
      invalid
          .fieldErrors()
          .forEach(
              (field, message) -> {
                if (field.startsWith("variables.")) {
                  errors.merge(
                      "variables",
                      field.substring("variables.".length()) + " " + message,
                      (a, b) -> a + "; " + b);
                } else {
                  errors.put(field, message);
                }
              });
      model.addAttribute("errors", errors);
    } catch (ConflictException tooMany) {
      model.addAttribute("problem", tooMany.getMessage());
    }
    model.addAttribute("form", form);
    return startPage(model);
  }

  @GetMapping(BASE + "/{id}")
  String session(@PathVariable UUID id, Model model) {
    // Not "session": Thymeleaf reserves that name for the HTTP session.
    model.addAttribute("chat", playground.find(owner(), id));
    return "console/prompts/playground";
  }

  /** Accepts a message (204); the page then opens the reply stream. */
  @PostMapping(BASE + "/{id}/messages")
  ResponseEntity<Map<String, String>> send(@PathVariable UUID id, @RequestParam String text) {
    try {
      playground.send(owner(), id, text);
      return ResponseEntity.noContent().build();
    } catch (InvalidInputException invalid) {
      return ResponseEntity.unprocessableContent().body(invalid.fieldErrors());
    } catch (ConflictException busy) {
      return ResponseEntity.status(409).body(Map.of("text", busy.getMessage()));
    }
  }

  @GetMapping(BASE + "/{id}/reply")
  void reply(@PathVariable UUID id, HttpServletResponse response) {
    playground.reply(owner(), id, response);
  }

  /** Deletes the session and starts another with the same agent or prompt, model and values. */
  @PostMapping(BASE + "/{id}/clear")
  String clear(@PathVariable UUID id) {
    UUID owner = owner();
    Playground.Session old = playground.find(owner, id);
    playground.delete(owner, id);
    Playground.Session fresh =
        playground.create(
            owner,
            old.agentId() == null ? null : old.agentId().toString(),
            old.agentId() == null ? old.promptId().toString() : null,
            old.agentId() == null ? old.promptVersion() : null,
            old.provider(),
            old.model(),
            new LinkedHashMap<>(old.variables()));
    return "redirect:" + BASE + "/" + fresh.id();
  }

  private String startPage(Model model) {
    model.addAttribute("prompts", prompts.list(null, 0, 200).items());
    return "console/prompts/playground-start";
  }

  private static UUID owner() {
    return ConsoleUser.required().userId();
  }

  private static String blankToNull(String text) {
    return text == null || text.isBlank() ? null : text.strip();
  }
}
