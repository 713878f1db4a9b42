package io.parley.campaigns;

import io.parley.shared.Actor;
import io.parley.shared.InvalidInputException;
import io.parley.shared.Organisations;
import io.parley.shared.Page;
import io.parley.shared.PageRequest;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.node.ObjectNode;

/** Campaigns, their leads and lead imports. Viewers read; operators create, edit and import. */
@RestController
@RequestMapping("/api/campaigns")
class CampaignController {

  private static final Pattern FILE_NAME = Pattern.compile("[^\\p{Cntrl}]{1,200}");
  private static final List<String> OUTCOMES =
      List.of("duplicate", "invalid", "held", "in_other_campaign");

  private final CampaignService campaigns;
  private final LeadImporter importer;
  private final LeadExporter exporter;
  private final ResultsExporter results;
  private final LeadCallbacks callbacks;

  CampaignController(
      CampaignService campaigns,
      LeadImporter importer,
      LeadExporter exporter,
      ResultsExporter results,
      LeadCallbacks callbacks) {
    this.campaigns = campaigns;
    this.callbacks = callbacks;
    this.importer = importer;
    this.exporter = exporter;
    this.results = results;
  }

  @PostMapping
  @PreAuthorize("hasRole('OPERATOR')")
  @Operation(summary = "Creates a campaign (as a draft)")
  ResponseEntity<Campaign> create(@RequestBody ObjectNode body) {
    Campaign campaign =
        campaigns.create(Organisations.DEFAULT_ID, CampaignRequest.parse(body), Actor.current());
    return ResponseEntity.created(URI.create("/api/campaigns/" + campaign.id())).body(campaign);
  }

  @GetMapping
  @PreAuthorize("hasRole('VIEWER')")
  @Operation(summary = "Lists campaigns, newest first")
  Page<Campaign> list(
      @RequestParam(required = false) Integer page, @RequestParam(required = false) Integer size) {
    return campaigns.list(Organisations.DEFAULT_ID, PageRequest.of(page, size));
  }

  @GetMapping("/{id}")
  @PreAuthorize("hasRole('VIEWER')")
  @Operation(summary = "A campaign with its settings and lead counts by status")
  Campaign get(@PathVariable UUID id) {
    return campaigns.get(Organisations.DEFAULT_ID, id);
  }

  @PutMapping("/{id}")
  @PreAuthorize("hasRole('OPERATOR')")
  @Operation(summary = "Replaces a campaign's name and settings (not once it has ended); audited")
  Campaign update(@PathVariable UUID id, @RequestBody ObjectNode body) {
    return campaigns.update(
        Organisations.DEFAULT_ID, id, CampaignRequest.parse(body), Actor.current());
  }

  @PostMapping("/{id}/start")
  @PreAuthorize("hasRole('OPERATOR')")
  @Operation(
      summary =
          "Starts a draft campaign: its leads are dialled by every node's dispatcher; audited."
              + " A telemarketing campaign needs an agent with a disclosure line and the opt_out"
              + " tool")
  Campaign start(@PathVariable UUID id) {
    return command(id, CampaignService.Command.START);
  }

  @PostMapping("/{id}/pause")
  @PreAuthorize("hasRole('OPERATOR')")
  @Operation(summary = "Pauses a running campaign: calls in progress finish; audited")
  Campaign pause(@PathVariable UUID id) {
    return command(id, CampaignService.Command.PAUSE);
  }

  @PostMapping("/{id}/resume")
  @PreAuthorize("hasRole('OPERATOR')")
  @Operation(summary = "Resumes a paused campaign; audited")
  Campaign resume(@PathVariable UUID id) {
    return command(id, CampaignService.Command.RESUME);
  }

  @PostMapping("/{id}/cancel")
  @PreAuthorize("hasRole('OPERATOR')")
  @Operation(
      summary =
          "Ends a campaign for good: calls in progress finish, nothing else is dialled; audited")
  Campaign cancel(@PathVariable UUID id) {
    return command(id, CampaignService.Command.CANCEL);
  }

  private Campaign command(UUID id, CampaignService.Command command) {
    return campaigns.command(Organisations.DEFAULT_ID, id, command, Actor.current());
  }

  @PostMapping(
      path = "/{id}/leads",
      consumes = {
        "text/csv",
        "text/plain",
        "application/csv",
        "application/vnd.ms-excel",
        "application/octet-stream"
      })
  @PreAuthorize("hasRole('OPERATOR')")
  @Operation(
      summary =
          "Imports a CSV of leads, streamed (up to 20 MiB and 100,000 rows): a phone column and"
              + " optionally first_name, last_name, time_zone, consent_source, consent_at; other"
              + " columns become prompt variables. map=<column>:<field> renames a column. Bad rows"
              + " are reported, not imported; the answer is the import's report")
  @io.swagger.v3.oas.annotations.parameters.RequestBody(
      content =
          @Content(
              mediaType = "text/csv",
              schema =
                  @Schema(
                      type = "string",
                      example =
                          "phone,first_name,time_zone\n+14155550123,Ada,America/Los_Angeles")))
  ResponseEntity<LeadImportReport> importLeads(
      @PathVariable UUID id,
      @RequestParam(name = "map", required = false) List<String> map,
      @RequestParam(required = false) String fileName,
      HttpServletRequest request)
      throws IOException {
    if (request.getContentLengthLong() > LeadImporter.MAX_BYTES) {
      throw new UploadTooLargeException(
          "The file is larger than 20 MiB; split it into smaller files.");
    }
    if (fileName != null && !FILE_NAME.matcher(fileName).matches()) {
      throw new InvalidInputException("fileName", "must be 1 to 200 printable characters");
    }
    Map<String, String> mapping = mapping(map);
    LeadImportReport report;
    try (InputStream body = request.getInputStream()) {
      report =
          importer.importCsv(
              Organisations.DEFAULT_ID, id, body, fileName, mapping, Actor.current());
    }
    return ResponseEntity.created(URI.create("/api/campaigns/" + id + "/imports/" + report.id()))
        .body(report);
  }

  @GetMapping("/{id}/imports")
  @PreAuthorize("hasRole('VIEWER')")
  @Operation(summary = "A campaign's lead imports, newest first, with their counts")
  Page<LeadImportReport> imports(
      @PathVariable UUID id,
      @RequestParam(required = false) Integer page,
      @RequestParam(required = false) Integer size) {
    return importer.imports(Organisations.DEFAULT_ID, id, PageRequest.of(page, size));
  }

  @GetMapping("/{id}/imports/{importId}")
  @PreAuthorize("hasRole('VIEWER')")
  @Operation(
      summary =
          "An import's counts and its report lines (duplicate, invalid, held, in_other_campaign),"
              + " in file order")
  LeadImportReport importReport(
      @PathVariable UUID id,
      @PathVariable UUID importId,
      @RequestParam(required = false) String outcome,
      @RequestParam(required = false) Integer page,
      @RequestParam(required = false) Integer size) {
    if (outcome != null && !OUTCOMES.contains(outcome)) {
      throw new InvalidInputException("outcome", "must be one of " + String.join(", ", OUTCOMES));
    }
    return importer.report(
        Organisations.DEFAULT_ID, id, importId, outcome, PageRequest.of(page, size));
  }

  @GetMapping("/{id}/leads")
  @PreAuthorize("hasRole('VIEWER')")
  @Operation(
      summary =
          "A campaign's leads: filter by status, phone (number prefix) and importId; sort by"
              + " createdAt, phoneNumber, status, attempts, nextAttemptAt or lastName (- for"
              + " descending)")
  Page<Lead> leads(
      @PathVariable UUID id,
      @RequestParam(required = false) String status,
      @RequestParam(required = false) String phone,
      @RequestParam(required = false) String importId,
      @RequestParam(required = false) String sort,
      @RequestParam(required = false) Integer page,
      @RequestParam(required = false) Integer size) {
    return campaigns.leads(
        Organisations.DEFAULT_ID, id, LeadQuery.of(status, phone, importId, sort, page, size));
  }

  @GetMapping("/{id}/leads/export")
  @PreAuthorize("hasRole('SUPERVISOR')")
  @Operation(
      summary =
          "A campaign's leads as CSV (the lead list's filters and sort), streamed, spreadsheet"
              + " formulas neutralised; personal data, so supervisors only, and audited")
  void exportLeads(
      @PathVariable UUID id,
      @RequestParam(required = false) String status,
      @RequestParam(required = false) String phone,
      @RequestParam(required = false) String importId,
      @RequestParam(required = false) String sort,
      HttpServletResponse response)
      throws IOException {
    LeadQuery query = LeadQuery.of(status, phone, importId, sort, null, null);
    campaigns.auditLeadExport(Organisations.DEFAULT_ID, id, query, Actor.current());
    response.setContentType("text/csv;charset=UTF-8");
    response.setHeader(
        "Content-Disposition", "attachment; filename=\"campaign-" + id + "-leads.csv\"");
    Writer out =
        new BufferedWriter(
            new OutputStreamWriter(response.getOutputStream(), StandardCharsets.UTF_8), 64 * 1024);
    exporter.write(id, query, out);
    out.flush();
  }

  @GetMapping("/{id}/results")
  @PreAuthorize("hasRole('SUPERVISOR')")
  @Operation(
      summary =
          "A campaign's results as CSV: every attempt with its lead, outcome, duration,"
              + " answering-machine verdict and extracted data; streamed, spreadsheet formulas"
              + " neutralised; supervisors only, and audited")
  void exportResults(@PathVariable UUID id, HttpServletResponse response) throws IOException {
    campaigns.auditResultsExport(Organisations.DEFAULT_ID, id, Actor.current());
    response.setContentType("text/csv;charset=UTF-8");
    response.setHeader(
        "Content-Disposition", "attachment; filename=\"campaign-" + id + "-results.csv\"");
    Writer out =
        new BufferedWriter(
            new OutputStreamWriter(response.getOutputStream(), StandardCharsets.UTF_8), 64 * 1024);
    results.write(id, out);
    out.flush();
  }

  @GetMapping("/{id}/leads/{leadId}")
  @PreAuthorize("hasRole('VIEWER')")
  @Operation(summary = "One lead")
  Lead lead(@PathVariable UUID id, @PathVariable UUID leadId) {
    return campaigns.lead(Organisations.DEFAULT_ID, id, leadId);
  }

  /**
   * A callback to book.
   *
   * @param at the local date-time in the lead's zone ({@code 2026-12-08T15:00}), or with an offset
   * @param summary what to follow up; the callback call's prompt gets it as {@code
   *     previous_call_summary}
   */
  record CallbackRequest(String at, String summary) {}

  @PostMapping("/{id}/leads/{leadId}/callback")
  @PreAuthorize("hasRole('OPERATOR')")
  @Operation(
      summary =
          "Books (or re-books) a lead's callback at a local time in the lead's zone; a time outside"
              + " the calling hours is moved to the next one they allow. Dialled once, through the"
              + " compliance gate; audited")
  Lead bookCallback(
      @PathVariable UUID id, @PathVariable UUID leadId, @RequestBody CallbackRequest request) {
    return callbacks.book(
        Organisations.DEFAULT_ID,
        id,
        leadId,
        request == null ? null : request.at(),
        request == null ? null : request.summary(),
        Actor.current());
  }

  @DeleteMapping("/{id}/leads/{leadId}/callback")
  @PreAuthorize("hasRole('OPERATOR')")
  @Operation(
      summary =
          "Cancels a lead's waiting callback: the lead returns to where it was when it was booked;"
              + " audited")
  Lead cancelCallback(@PathVariable UUID id, @PathVariable UUID leadId) {
    return callbacks.cancel(Organisations.DEFAULT_ID, id, leadId, Actor.current());
  }

  /** {@code map=Mobile:phone} pairs to normalised column name → field. */
  private static Map<String, String> mapping(List<String> pairs) {
    Map<String, String> mapping = new LinkedHashMap<>();
    if (pairs == null) {
      return mapping;
    }
    for (String pair : pairs) {
      int colon = pair.lastIndexOf(':');
      String from = colon < 0 ? "" : LeadColumns.normalise(pair.substring(0, colon));
      String to = colon < 0 ? "" : LeadColumns.normalise(pair.substring(colon + 1));
      if (from.isEmpty() || to.isEmpty()) {
        throw new InvalidInputException(
            "map", "must be <column in the file>:<field>, e.g. Mobile:phone; was " + pair);
      }
      if (mapping.put(from, to) != null) {
        throw new InvalidInputException("map", "names the column " + from + " twice");
      }
    }
    return mapping;
  }
}
