package io.parley.campaigns;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.parley.shared.Page;
import java.time.Instant;
import java.util.UUID;

/**
 * What one upload of a lead file did.
 *
 * @param rows data lines read (the header and blank lines not counted)
 * @param accepted leads added, ready to dial
 * @param duplicates lines whose number was already in the file or in the campaign
 * @param invalid lines that are not leads (each listed with its reason)
 * @param held leads added but held, not dialled until fixed (e.g. no time zone)
 * @param inOtherCampaigns accepted or held leads whose number is also a lead of another active
 *     campaign (reported, not refused)
 * @param lines the lines that were not simply accepted, with their line number in the file (the
 *     header is line 1), outcome and reason; one page of them (absent in a list of imports)
 */
public record LeadImportReport(
    UUID id,
    UUID campaignId,
    String fileName,
    int rows,
    int accepted,
    int duplicates,
    int invalid,
    int held,
    int inOtherCampaigns,
    Instant createdAt,
    String createdBy,
    @JsonInclude(JsonInclude.Include.NON_NULL) Page<ReportLine> lines) {

  /**
   * @param outcome {@code duplicate}, {@code invalid}, {@code held} or {@code in_other_campaign}
   * @param phone the phone cell as written
   */
  public record ReportLine(int line, String outcome, String phone, String reason) {}

  LeadImportReport withLines(Page<ReportLine> page) {
    return new LeadImportReport(
        id,
        campaignId,
        fileName,
        rows,
        accepted,
        duplicates,
        invalid,
        held,
        inOtherCampaigns,
        createdAt,
        createdBy,
        page);
  }
}
