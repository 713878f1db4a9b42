package io.parley.console.prompts;

import io.parley.auth.SessionSignIns.SignedIn;
import io.parley.console.ConsoleUser;
import io.parley.prompts.PromptDetails;
import io.parley.prompts.Prompts;
import io.parley.prompts.RenderInput;
import io.parley.shared.Actor;
import io.parley.shared.ConflictException;
import io.parley.shared.InvalidInputException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * Prompts for operators (ConsolePages refuses lower roles on every path here): the list, an editor
 * with declared variables, a prompt's version history, the side-by-side diff of two versions and a
 * preview rendered with lead values. Saving redirects to the prompt (post, redirect, get); refused
 * input re-renders the editor with the errors under their fields.
 */
@Controller
class PromptsController {

  private static final int PAGE_SIZE = 50;

  /** A built-in's input on the preview form, named as the renderer names it in errors. */
  record CallField(String name, String label) {}

  /** What a call knows besides the lead's values: the built-ins' inputs. */
  private static final List<CallField> CALL_FIELDS =
      List.of(
          new CallField("agentName", "Agent name"),
          new CallField("callerPhone", "Caller phone (E.164)"),
          new CallField("calleePhone", "Callee phone (E.164)"),
          new CallField("timeZone", "Lead time zone (IANA)"));

  private final Prompts prompts;

  PromptsController(Prompts prompts) {
    this.prompts = prompts;
  }

  @GetMapping("/console/prompts")
  String list(@RequestParam(required = false) String q, Model model) {
    String query = q == null || q.isBlank() ? null : q.strip();
    try {
      model.addAttribute("prompts", prompts.list(query, 0, PAGE_SIZE));
    } catch (InvalidInputException invalid) {
      model.addAttribute("errors", invalid.fieldErrors());
      model.addAttribute("prompts", prompts.list(null, 0, PAGE_SIZE));
    }
    model.addAttribute("q", query);
    return "console/prompts/list";
  }

  @GetMapping("/console/prompts/new")
  String newPrompt(Model model) {
    model.addAttribute("form", Map.of("name", "", "description", "", "content", "", "note", ""));
    model.addAttribute("rows", VariableRows.of(List.of()).withSpares());
    return "console/prompts/editor";
  }

  @PostMapping("/console/prompts")
  String create(@RequestParam Map<String, String> form, Model model) {
    VariableRows rows = VariableRows.fromForm(form);
    try {
      PromptDetails created =
          prompts.create(
              actor(),
              form.getOrDefault("name", ""),
              form.get("description"),
              form.getOrDefault("content", ""),
              rows.variables(),
              form.get("note"));
      return "redirect:/console/prompts/" + created.id() + "?saved";
    } catch (InvalidInputException invalid) {
      return editorAgain(model, form, rows, VariableRows.formErrors(invalid.fieldErrors()));
    } catch (ConflictException taken) {
      return editorAgain(model, form, rows, Map.of("name", "is already the name of a prompt"));
    }
  }

  @GetMapping("/console/prompts/{id}")
  String prompt(@PathVariable UUID id, Model model) {
    return detail(id, model);
  }

  @GetMapping("/console/prompts/{id}/edit")
  String edit(@PathVariable UUID id, Model model) {
    PromptDetails prompt = prompts.get(id);
    Map<String, String> form = new LinkedHashMap<>();
    form.put("name", prompt.name());
    form.put("description", prompt.description() == null ? "" : prompt.description());
    form.put("content", prompt.content());
    form.put("note", "");
    form.put("baseVersion", String.valueOf(prompt.version()));
    model.addAttribute("prompt", prompt);
    model.addAttribute("form", form);
    model.addAttribute("rows", VariableRows.of(prompt.variables()).withSpares());
    return "console/prompts/editor";
  }

  @PostMapping("/console/prompts/{id}")
  String update(@PathVariable UUID id, @RequestParam Map<String, String> form, Model model) {
    VariableRows rows = VariableRows.fromForm(form);
    model.addAttribute("prompt", prompts.get(id));
    int baseVersion;
    try {
      baseVersion = Integer.parseInt(form.getOrDefault("baseVersion", ""));
    } catch (NumberFormatException notANumber) {
      return editorAgain(model, form, rows, Map.of("content", "reload the prompt and edit again"));
    }
    try {
      prompts.update(
          actor(),
          id,
          baseVersion,
          form.getOrDefault("name", ""),
          form.getOrDefault("description", ""),
          form.getOrDefault("content", ""),
          rows.variables(),
          form.get("note"));
      return "redirect:/console/prompts/" + id + "?saved";
    } catch (InvalidInputException invalid) {
      return editorAgain(model, form, rows, VariableRows.formErrors(invalid.fieldErrors()));
    } catch (ConflictException conflict) {
      // A name taken by another prompt, or someone saved a version since this edit began.
      String field = conflict.getMessage().startsWith("Another prompt") ? "name" : "content";
      return editorAgain(model, form, rows, Map.of(field, conflict.getMessage()));
    }
  }

  @GetMapping("/console/prompts/{id}/diff")
  String diff(
      @PathVariable UUID id,
      @RequestParam(required = false) Integer from,
      @RequestParam(required = false) Integer to,
      Model model) {
    PromptDetails prompt = prompts.get(id);
    model.addAttribute("prompt", prompt);
    model.addAttribute("versions", prompts.versions(id));
    model.addAttribute("from", from);
    model.addAttribute("to", to);
    try {
      var diff = prompts.diff(id, from, to);
      model.addAttribute("diff", diff);
      model.addAttribute("sides", SideBySide.of(diff));
    } catch (InvalidInputException invalid) {
      model.addAttribute("errors", invalid.fieldErrors());
    }
    return "console/prompts/diff";
  }

  @PostMapping("/console/prompts/{id}/preview")
  String preview(@PathVariable UUID id, @RequestParam Map<String, String> form, Model model) {
    PromptDetails prompt = prompts.get(id);
    Map<String, String> values = new LinkedHashMap<>();
    prompt
        .variables()
        .forEach(
            v -> {
              String value = form.get("variables." + v.name());
              if (value != null && !value.isEmpty()) {
                values.put(v.name(), value);
              }
            });
    Map<String, String> call = new LinkedHashMap<>();
    for (CallField field : CALL_FIELDS) {
      call.put(field.name(), form.getOrDefault(field.name(), "").strip());
    }
    model.addAttribute("values", values);
    model.addAttribute("call", call);
    try {
      RenderInput input =
          new RenderInput(
              values,
              blankToNull(call.get("timeZone")),
              blankToNull(call.get("agentName")),
              null,
              blankToNull(call.get("callerPhone")),
              blankToNull(call.get("calleePhone")));
      model.addAttribute("rendered", prompts.render(id, prompt.version(), input));
    } catch (InvalidInputException invalid) {
      model.addAttribute("errors", invalid.fieldErrors());
      // The built-ins sit in a closed <details>; an error there opens it.
      model.addAttribute(
          "callOpen",
          CALL_FIELDS.stream().anyMatch(f -> invalid.fieldErrors().containsKey(f.name())));
    }
    return detail(id, model);
  }

  private String detail(UUID id, Model model) {
    PromptDetails prompt = prompts.get(id);
    model.addAttribute("prompt", prompt);
    model.addAttribute("versions", prompts.versions(id));
    model.addAttribute("callFields", CALL_FIELDS);
    if (!model.containsAttribute("callOpen")) {
      model.addAttribute("callOpen", false);
    }
    if (!model.containsAttribute("values")) {
      model.addAttribute("values", Map.of());
      model.addAttribute("call", Map.of());
    }
    return "console/prompts/prompt";
  }

  private String editorAgain(
      Model model, Map<String, String> form, VariableRows rows, Map<String, String> errors) {
    model.addAttribute("form", form);
    model.addAttribute("rows", rows.withSpares());
    model.addAttribute("errors", errors);
    return "console/prompts/editor";
  }

  private static String blankToNull(String text) {
    return text == null || text.isBlank() ? null : text;
  }

  private static Actor actor() {
    SignedIn user = ConsoleUser.required();
    return new Actor(user.userId(), user.email());
  }
}
