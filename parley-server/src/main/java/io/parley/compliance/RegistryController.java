package io.parley.compliance;

import io.parley.shared.Actor;
import io.parley.shared.Organisations;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Registry lists: copies of the national and state do-not-call registries (docs/compliance.md).
 * Supervisors import and delete them, because a wrong copy either calls registered numbers or stops
 * every telemarketing campaign; viewers see them and their age.
 */
@RestController
@RequestMapping("/api/dnc/registries")
class RegistryController {

  private final RegistryImporter importer;
  private final RegistryService registries;

  RegistryController(RegistryImporter importer, RegistryService registries) {
    this.importer = importer;
    this.registries = registries;
  }

  record ImportAnswer(RegistryImportReport report, RegistryView registry) {}

  @GetMapping
  @PreAuthorize("hasRole('VIEWER')")
  @Operation(
      summary = "The registry lists with their coverage, numbers, download date, age and freshness")
  List<RegistryView> list() {
    return registries.list(Organisations.DEFAULT_ID);
  }

  @GetMapping("/{name}")
  @PreAuthorize("hasRole('VIEWER')")
  @Operation(summary = "One registry list")
  RegistryView get(@PathVariable String name) {
    return registries.get(Organisations.DEFAULT_ID, name);
  }

  @PutMapping(
      path = "/{name}",
      consumes = {
        "text/plain",
        "text/csv",
        "application/octet-stream",
        "application/zip",
        "application/x-zip-compressed",
        "application/gzip",
        "application/x-gzip"
      })
  @PreAuthorize("hasRole('SUPERVISOR')")
  @Operation(
      summary =
          "Imports a registry file (streamed, up to 2 GiB, plain, zip or gzip) as the list's copy"
              + " for the area codes it covers, replacing those area codes atomically; audited."
              + " kind (national or state) is required for a new list; asOf is the download day")
  @io.swagger.v3.oas.annotations.parameters.RequestBody(
      content =
          @Content(
              mediaType = "text/plain",
              schema = @Schema(type = "string", example = "201,5550123\n201,5550124\n")))
  ResponseEntity<ImportAnswer> importFile(
      @PathVariable String name,
      @RequestParam(required = false) String kind,
      @RequestParam(required = false) String asOf,
      @RequestParam(required = false) String areaCodes,
      HttpServletRequest request)
      throws IOException {
    RegistryImporter.Request checked = importer.check(name, kind, asOf, areaCodes);
    if (request.getContentLengthLong() > RegistryImporter.MAX_BYTES) {
      throw new RegistryTooLargeException(
          "The file is larger than 2 GiB; upload it zipped (application/zip) or split it by area"
              + " code.");
    }
    RegistryImportReport report;
    try (InputStream body = request.getInputStream()) {
      report =
          importer.importFile(
              Organisations.DEFAULT_ID, checked, body, packing(request), Actor.current());
    }
    return ResponseEntity.ok(
        new ImportAnswer(report, registries.get(Organisations.DEFAULT_ID, checked.name())));
  }

  @DeleteMapping("/{name}")
  @PreAuthorize("hasRole('SUPERVISOR')")
  @Operation(summary = "Deletes a registry list; audited")
  ResponseEntity<Void> delete(@PathVariable String name) {
    registries.delete(Organisations.DEFAULT_ID, name, Actor.current());
    return ResponseEntity.noContent().build();
  }

  private static RegistryImporter.Packing packing(HttpServletRequest request) {
    String type = request.getContentType() == null ? "" : request.getContentType();
    type = type.toLowerCase(Locale.ROOT);
    if (type.contains("zip") && !type.contains("gzip")) {
      return RegistryImporter.Packing.ZIP;
    }
    if (type.contains("gzip")) {
      return RegistryImporter.Packing.GZIP;
    }
    return RegistryImporter.Packing.PLAIN;
  }
}
