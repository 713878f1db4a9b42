package io.parley.console.calls;

import io.parley.auth.Role;
import io.parley.auth.SessionSignIns.SignedIn;
import io.parley.auth.SignIns.SignIn;
import io.parley.calls.CallBrowsing;
import io.parley.calls.CallDetails;
import io.parley.calls.CallListParams;
import io.parley.calls.CallSummary;
import io.parley.console.ConsoleUser;
import io.parley.shared.Actor;
import io.parley.shared.ConflictException;
import io.parley.shared.InvalidInputException;
import io.parley.shared.NotFoundException;
import io.parley.shared.Page;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.ResponseBody;

/**
 * The call history and one call, through {@link CallBrowsing} (what {@code /api/calls} serves): the
 * list with the API's filters, sort and pages, its CSV export (SUPERVISOR, audited), a call's
 * transcript, tools, turn latencies and analysis, its recording in a player on a signed link (the
 * playback role) and the recording's deletion (ADMIN, confirmed on a page of its own).
 */
@Controller
class CallsController {

  private final CallBrowsing calls;

  CallsController(CallBrowsing calls) {
    this.calls = calls;
  }

  @GetMapping("/console/calls")
  String list(CallListParams params, Model model) {
    HistoryForm form = HistoryForm.of(params);
    model.addAttribute("form", form);
    model.addAttribute("agents", calls.agents());
    model.addAttribute("statuses", CallBrowsing.STATUSES);
    model.addAttribute("outcomes", CallBrowsing.OUTCOMES);
    model.addAttribute(
        "mayExport", ConsoleUser.required().role().ordinal() <= Role.SUPERVISOR.ordinal());
    try {
      Page<CallSummary> page = calls.list(form.toApi());
      model.addAttribute("page", HistoryPage.of(page, form));
    } catch (InvalidInputException invalid) {
      model.addAttribute("errors", invalid.fieldErrors());
    }
    return "console/calls/list";
  }

  /** The list's CSV, as {@code GET /api/calls/export.csv} writes it, for this session's user. */
  @GetMapping("/console/calls/export.csv")
  @PreAuthorize("hasRole('SUPERVISOR')")
  String export(CallListParams params, Model model, HttpServletResponse response)
      throws IOException {
    HistoryForm form = HistoryForm.of(params);
    SignedIn user = ConsoleUser.required();
    CallBrowsing.Export export;
    try {
      export = calls.export(form.toApi(), new Actor(user.userId(), user.email()));
    } catch (InvalidInputException invalid) {
      response.setStatus(422);
      return list(params, model);
    }
    response.setContentType("text/csv;charset=UTF-8");
    response.setHeader("Content-Disposition", "attachment; filename=\"calls.csv\"");
    Writer out =
        new BufferedWriter(
            new OutputStreamWriter(response.getOutputStream(), StandardCharsets.UTF_8), 64 * 1024);
    export.writeTo(out);
    out.flush();
    return null;
  }

  @GetMapping("/console/calls/{id}")
  String call(@PathVariable UUID id, Model model) {
    SignedIn user = ConsoleUser.required();
    CallDetails details = calls.details(id);
    CallView view = CallView.of(details);
    model.addAttribute("call", view);
    model.addAttribute("playbackRole", calls.playbackRole());
    model.addAttribute("mayPlay", calls.mayPlay(user.role()));
    model.addAttribute("mayDelete", user.role() == Role.ADMIN);
    if (details.recording() != null && calls.mayPlay(user.role())) {
      model.addAttribute("audio", link(id, user).path());
    }
    return "console/calls/detail";
  }

  /** A fresh link for the player when its five minutes are up (calls.js asks on a load error). */
  @PostMapping("/console/calls/{id}/recording/link")
  @ResponseBody
  ResponseEntity<Map<String, String>> freshLink(@PathVariable UUID id) {
    CallBrowsing.RecordingLink link = link(id, ConsoleUser.required());
    return ResponseEntity.ok()
        .cacheControl(CacheControl.noStore())
        .body(Map.of("url", link.path(), "expiresAt", link.expiresAt().toString()));
  }

  @GetMapping("/console/calls/{id}/recording/delete")
  @PreAuthorize("hasRole('ADMIN')")
  String confirmDelete(@PathVariable UUID id, Model model) {
    CallDetails details = calls.details(id);
    if (details.recording() == null) {
      throw new NotFoundException("Call " + id + " has no recording");
    }
    model.addAttribute("call", CallView.of(details));
    return "console/calls/delete";
  }

  @PostMapping("/console/calls/{id}/recording/delete")
  @PreAuthorize("hasRole('ADMIN')")
  String delete(@PathVariable UUID id, Model model) {
    SignedIn user = ConsoleUser.required();
    try {
      calls.deleteRecording(id, new Actor(user.userId(), user.email()));
      return "redirect:/console/calls/" + id + "?recordingDeleted";
    } catch (ConflictException held) {
      model.addAttribute("error", held.getMessage());
    } catch (ErrorResponseException twilio) {
      model.addAttribute("error", twilio.getBody().getDetail());
    }
    model.addAttribute("call", CallView.of(calls.details(id)));
    return "console/calls/delete";
  }

  private CallBrowsing.RecordingLink link(UUID id, SignedIn user) {
    return calls.recordingLink(
        id,
        user.role(),
        new Actor(user.userId(), user.email()),
        new SignIn(user.userId(), user.tokenVersion()));
  }
}
