package io.parley.compliance;

import io.parley.shared.Actor;
import io.parley.shared.Organisations;
import io.parley.shared.Page;
import io.parley.shared.PageRequest;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * The do-not-call list API. Anyone who can dial may add a number; only supervisors may take one
 * off, because a wrong removal is what gets a company sued.
 */
@RestController
@RequestMapping("/api/dnc")
class DncController {

  /** Largest CSV body accepted by the import, in bytes. */
  static final int MAX_IMPORT_BYTES = 1024 * 1024;

  private final DncService dnc;

  DncController(DncService dnc) {
    this.dnc = dnc;
  }

  record AddRequest(String phoneNumber, String reason) {}

  record CheckResult(boolean blocked, DncEntry entry) {}

  @GetMapping
  @PreAuthorize("hasRole('VIEWER')")
  @Operation(
      summary = "Lists do-not-call entries, optionally those whose number starts with a prefix")
  Page<DncEntry> list(
      @RequestParam(required = false) String number,
      @RequestParam(required = false, defaultValue = "false") boolean includeRemoved,
      @RequestParam(required = false) Integer page,
      @RequestParam(required = false) Integer size) {
    return dnc.list(Organisations.DEFAULT_ID, number, includeRemoved, PageRequest.of(page, size));
  }

  @PostMapping
  @PreAuthorize("hasRole('OPERATOR')")
  @Operation(summary = "Adds a number; 201 when added, 200 with the existing entry when present")
  ResponseEntity<DncEntry> add(@RequestBody AddRequest request) {
    DncAddition addition =
        dnc.add(
            Organisations.DEFAULT_ID,
            request.phoneNumber(),
            DncSource.MANUAL,
            request.reason(),
            AddedBy.user(Actor.current()));
    return ResponseEntity.status(addition.created() ? HttpStatus.CREATED : HttpStatus.OK)
        .body(addition.entry());
  }

  @GetMapping("/check")
  @PreAuthorize("hasRole('OPERATOR')")
  @Operation(summary = "Tells whether a number is on the list")
  CheckResult check(@RequestParam(required = false) String phoneNumber) {
    return dnc.find(Organisations.DEFAULT_ID, phoneNumber)
        .map(entry -> new CheckResult(true, entry))
        .orElseGet(() -> new CheckResult(false, null));
  }

  @DeleteMapping("/{idOrNumber}")
  @PreAuthorize("hasRole('SUPERVISOR')")
  @Operation(summary = "Takes a number off the list (by entry id or E.164 number); audited")
  DncEntry remove(@PathVariable String idOrNumber, @RequestParam(required = false) String reason) {
    return dnc.remove(Organisations.DEFAULT_ID, idOrNumber, reason, Actor.current());
  }

  @PostMapping(
      path = "/import",
      consumes = {"text/csv", "text/plain"})
  @PreAuthorize("hasRole('OPERATOR')")
  @Operation(
      summary =
          "Imports a UTF-8 CSV file with a phone_number column (and optionally reason), up to 1 MiB"
              + " and 10,000 rows; bad rows are reported and skipped")
  @io.swagger.v3.oas.annotations.parameters.RequestBody(
      content =
          @Content(
              mediaType = "text/csv",
              schema =
                  @Schema(type = "string", example = "phone_number,reason\n+14155550123,asked")))
  ImportReport importCsv(HttpServletRequest request) throws IOException {
    return dnc.importCsv(Organisations.DEFAULT_ID, body(request), Actor.current());
  }

  // Read with a cap instead of binding a String, so an oversized upload is refused without
  // holding all of it in memory.
  private static byte[] body(HttpServletRequest request) throws IOException {
    if (request.getContentLengthLong() > MAX_IMPORT_BYTES) {
      throw tooLarge();
    }
    try (InputStream in = request.getInputStream()) {
      byte[] body = in.readNBytes(MAX_IMPORT_BYTES + 1);
      if (body.length > MAX_IMPORT_BYTES) {
        throw tooLarge();
      }
      return body;
    }
  }

  private static ResponseStatusException tooLarge() {
    return new ResponseStatusException(
        HttpStatus.CONTENT_TOO_LARGE,
        "The file is larger than 1 MiB; split it into smaller files.");
  }
}
