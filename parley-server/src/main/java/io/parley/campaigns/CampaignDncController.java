package io.parley.campaigns;

import io.parley.compliance.CampaignDoNotCall;
import io.parley.compliance.DncAddition;
import io.parley.compliance.DncEntry;
import io.parley.shared.Actor;
import io.parley.shared.Organisations;
import io.parley.shared.Page;
import io.parley.shared.PageRequest;
import io.swagger.v3.oas.annotations.Operation;
import java.util.UUID;
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

/**
 * A campaign's own do-not-call list ({@code /api/campaigns/{id}/dnc}): numbers this campaign must
 * not call, checked by the compliance gate with the company-wide list at the moment of dialling.
 */
@RestController
@RequestMapping("/api/campaigns/{id}/dnc")
class CampaignDncController {

  private final CampaignService campaigns;
  private final CampaignDoNotCall lists;

  CampaignDncController(CampaignService campaigns, CampaignDoNotCall lists) {
    this.campaigns = campaigns;
    this.lists = lists;
  }

  record AddRequest(String phoneNumber, String reason) {}

  @GetMapping
  @PreAuthorize("hasRole('VIEWER')")
  @Operation(summary = "The campaign's own do-not-call entries, by number")
  Page<DncEntry> list(
      @PathVariable UUID id,
      @RequestParam(required = false) Integer page,
      @RequestParam(required = false) Integer size) {
    campaigns.get(Organisations.DEFAULT_ID, id);
    return lists.list(Organisations.DEFAULT_ID, id, PageRequest.of(page, size));
  }

  @PostMapping
  @PreAuthorize("hasRole('OPERATOR')")
  @Operation(
      summary =
          "Adds a number to the campaign's list; 201 when added, 200 with the existing entry;"
              + " audited")
  ResponseEntity<DncEntry> add(@PathVariable UUID id, @RequestBody AddRequest request) {
    campaigns.get(Organisations.DEFAULT_ID, id);
    DncAddition addition =
        lists.add(
            Organisations.DEFAULT_ID,
            id,
            request == null ? null : request.phoneNumber(),
            request == null ? null : request.reason(),
            Actor.current());
    return ResponseEntity.status(addition.created() ? HttpStatus.CREATED : HttpStatus.OK)
        .body(addition.entry());
  }

  @DeleteMapping("/{phoneNumber}")
  @PreAuthorize("hasRole('SUPERVISOR')")
  @Operation(summary = "Takes a number off the campaign's list (kept, marked removed); audited")
  DncEntry remove(
      @PathVariable UUID id,
      @PathVariable String phoneNumber,
      @RequestParam(required = false) String reason) {
    campaigns.get(Organisations.DEFAULT_ID, id);
    return lists.remove(Organisations.DEFAULT_ID, id, phoneNumber, reason, Actor.current());
  }
}
