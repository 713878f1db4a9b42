package io.parley.calls;

import io.parley.shared.Actor;
import io.parley.shared.Page;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.springdoc.core.annotations.ParameterObject;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The call history API (read only). Filters arrive as text ({@link CallListParams}) and are parsed
 * by {@link CallQuery}, so a bad value is a 422 naming the parameter rather than a generic
 * conversion error.
 */
@RestController
@RequestMapping("/api/calls")
class CallController {

  private final CallBrowsing browsing;

  CallController(CallBrowsing browsing) {
    this.browsing = browsing;
  }

  @GetMapping
  @PreAuthorize("hasRole('VIEWER')")
  @Operation(
      summary =
          "The call history: filtered (agent, direction, status, outcome, answeredBy, campaign,"
              + " numbers, time, recording, transcript text), sorted on any column, paged")
  Page<CallSummary> list(@ParameterObject CallListParams params) {
    return browsing.list(params);
  }

  @GetMapping("/export.csv")
  @PreAuthorize("hasRole('SUPERVISOR')")
  @Operation(
      summary =
          "The call history as CSV (the list's filters and sort, every page), streamed,"
              + " spreadsheet formulas neutralised; personal data, so supervisors only, and"
              + " audited")
  void export(@ParameterObject CallListParams params, HttpServletResponse response)
      throws IOException {
    CallBrowsing.Export export = browsing.export(params, Actor.current());
    response.setContentType("text/csv;charset=UTF-8");
    response.setHeader("Content-Disposition", "attachment; filename=\"calls.csv\"");
    Writer out =
        new BufferedWriter(
            new OutputStreamWriter(response.getOutputStream(), StandardCharsets.UTF_8), 64 * 1024);
    export.writeTo(out);
    out.flush();
  }

  @GetMapping("/{id}")
  @PreAuthorize("hasRole('VIEWER')")
  CallDetails get(@PathVariable UUID id) {
    return browsing.details(id);
  }
}
