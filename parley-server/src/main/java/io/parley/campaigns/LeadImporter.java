package io.parley.campaigns;

import io.parley.campaigns.LeadImportReport.ReportLine;
import io.parley.shared.Actor;
import io.parley.shared.AuditEvent;
import io.parley.shared.ConflictException;
import io.parley.shared.InvalidInputException;
import io.parley.shared.LimitedInputStream;
import io.parley.shared.NotFoundException;
import io.parley.shared.Page;
import io.parley.shared.PageRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Imports a lead file into a campaign as it streams in: rows are read, checked and written in
 * batches, so neither the file nor its leads are ever held whole (only the numbers seen, to find
 * duplicates within the file). The whole upload is one transaction: a file refused part-way (not
 * CSV past some line, over a limit, the client gone) leaves nothing behind; a bad row never stops
 * the good ones, it is reported. Imports into one campaign take turns (the campaign's row is
 * locked), so two uploads cannot both add the same number.
 */
@Service
class LeadImporter {

  /** Largest upload, in bytes. */
  static final long MAX_BYTES = 20L * 1024 * 1024;

  /** Most data rows in one upload. */
  static final int MAX_ROWS = 100_000;

  /** Leads and report lines are written this many at a time. */
  static final int BATCH = 500;

  /** Report lines returned with the upload's answer; the rest are paged from its report. */
  static final int FIRST_LINES = 50;

  private final CampaignRepository campaigns;
  private final LeadRepository leads;
  private final LeadImportRepository imports;
  private final ApplicationEventPublisher events;
  private final Clock clock;

  LeadImporter(
      CampaignRepository campaigns,
      LeadRepository leads,
      LeadImportRepository imports,
      ApplicationEventPublisher events,
      ObjectProvider<Clock> clock) {
    this.campaigns = campaigns;
    this.leads = leads;
    this.imports = imports;
    this.events = events;
    this.clock = clock.getIfUnique(Clock::systemUTC);
  }

  /**
   * Reads a lead file into the campaign.
   *
   * @param mapping the upload's header mapping: normalised file column name to field
   * @throws NotFoundException when there is no such campaign
   * @throws ConflictException when the campaign has ended
   * @throws InvalidInputException naming {@code file} when the file is not CSV, is empty or has no
   *     usable header
   * @throws UploadTooLargeException when the file is over {@link #MAX_BYTES} or {@link #MAX_ROWS}
   */
  @Transactional
  LeadImportReport importCsv(
      UUID organisationId,
      UUID campaignId,
      InputStream body,
      String fileName,
      Map<String, String> mapping,
      Actor actor)
      throws IOException {
    Campaign campaign = campaigns.lockExisting(organisationId, campaignId);
    if (!campaign.status().isActive()) {
      throw new ConflictException(
          "The campaign is " + campaign.status().wire() + "; leads cannot be added to it");
    }
    leads.planForActualValues();
    Instant now = now();
    Run run = new Run(organisationId, campaignId, UUID.randomUUID(), now);
    imports.insert(
        new LeadImportReport(
            run.importId, campaignId, fileName, 0, 0, 0, 0, 0, 0, now, actor.email(), null),
        actor);
    CsvReader csv =
        new CsvReader(
            utf8(
                new LimitedInputStream(
                    body,
                    MAX_BYTES,
                    () ->
                        new UploadTooLargeException(
                            "The file is larger than 20 MiB; split it into smaller files."))));
    try {
      CsvReader.Row header = csv.next();
      if (header == null) {
        throw new InvalidInputException("file", "is empty: expected a header line and leads");
      }
      run.parser =
          new LeadParser(
              LeadColumns.of(header.fields(), mapping), campaign.settings().defaultRegion(), now);
      for (CsvReader.Row row = csv.next(); row != null; row = csv.next()) {
        if (++run.rows > MAX_ROWS) {
          throw new UploadTooLargeException(
              "The file has more than " + MAX_ROWS + " rows; split it into smaller files.");
        }
        run.take(run.parser.parse(row));
      }
    } catch (CsvReader.MalformedCsvException e) {
      throw new InvalidInputException(
          "file", "is not CSV that can be read (nothing was imported): " + e.getMessage());
    } catch (CharacterCodingException e) {
      throw new InvalidInputException(
          "file", "is not UTF-8 text (nothing was imported); save it as CSV UTF-8");
    }
    run.flush();
    if (run.rows == 0) {
      throw new InvalidInputException("file", "has a header but no leads");
    }
    LeadImportReport report = run.report(fileName, actor);
    imports.updateCounts(report);
    audit(actor, report);
    return report.withLines(imports.lines(run.importId, null, new PageRequest(0, FIRST_LINES)));
  }

  /** A campaign's imports, newest first: their counts, not their lines. */
  @Transactional(readOnly = true)
  Page<LeadImportReport> imports(UUID organisationId, UUID campaignId, PageRequest page) {
    campaigns.existing(organisationId, campaignId);
    return imports.list(campaignId, page);
  }

  /** A report and a page of its lines. */
  @Transactional(readOnly = true)
  LeadImportReport report(
      UUID organisationId, UUID campaignId, UUID importId, String outcome, PageRequest page) {
    campaigns.existing(organisationId, campaignId);
    LeadImportReport report =
        imports
            .find(campaignId, importId)
            .orElseThrow(() -> new NotFoundException("No import " + importId));
    return report.withLines(imports.lines(importId, outcome, page));
  }

  /** One upload in progress: its counts and the batches not yet written. */
  private final class Run {
    final UUID organisationId;
    final UUID campaignId;
    final UUID importId;
    final Instant now;
    // Known once the header is read.
    LeadParser parser;
    final Map<String, Integer> seen = new HashMap<>();
    final List<LeadLine.Lead> pending = new ArrayList<>();
    final List<ReportLine> lines = new ArrayList<>();
    int rows;
    int accepted;
    int duplicates;
    int invalid;
    int held;
    int inOtherCampaigns;

    Run(UUID organisationId, UUID campaignId, UUID importId, Instant now) {
      this.organisationId = organisationId;
      this.campaignId = campaignId;
      this.importId = importId;
      this.now = now;
    }

    void take(LeadLine line) {
      switch (line) {
        case LeadLine.Invalid bad -> {
          invalid++;
          report(new ReportLine(bad.line(), "invalid", bad.phoneText(), bad.reason()));
        }
        case LeadLine.Lead good -> {
          Integer earlier = seen.putIfAbsent(good.lead().phoneNumber(), good.line());
          if (earlier != null) {
            duplicates++;
            report(
                new ReportLine(
                    good.line(),
                    "duplicate",
                    good.lead().phoneNumber(),
                    "the same number as line " + earlier));
            return;
          }
          pending.add(good);
          if (pending.size() >= BATCH) {
            writeLeads();
          }
        }
      }
    }

    void report(ReportLine line) {
      lines.add(line);
      if (lines.size() >= BATCH) {
        imports.insertLines(importId, lines);
        lines.clear();
      }
    }

    void flush() {
      writeLeads();
      imports.insertLines(importId, lines);
      lines.clear();
    }

    private void writeLeads() {
      if (pending.isEmpty()) {
        return;
      }
      Set<String> numbers =
          pending.stream().map(l -> l.lead().phoneNumber()).collect(Collectors.toSet());
      Set<String> existing = leads.existing(campaignId, numbers);
      Map<String, String> elsewhere =
          leads.inOtherActiveCampaigns(organisationId, campaignId, numbers);
      List<LeadRepository.Insert> inserts = new ArrayList<>();
      for (LeadLine.Lead good : pending) {
        NewLead lead = good.lead();
        if (existing.contains(lead.phoneNumber())) {
          duplicates++;
          report(
              new ReportLine(
                  good.line(), "duplicate", lead.phoneNumber(), "already a lead of this campaign"));
          continue;
        }
        inserts.add(new LeadRepository.Insert(UUID.randomUUID(), good.line(), lead));
        if (lead.status() == LeadStatus.HELD) {
          held++;
          report(new ReportLine(good.line(), "held", lead.phoneNumber(), lead.statusReason()));
        } else {
          accepted++;
        }
        String other = elsewhere.get(lead.phoneNumber());
        if (other != null) {
          inOtherCampaigns++;
          report(
              new ReportLine(
                  good.line(),
                  "in_other_campaign",
                  lead.phoneNumber(),
                  "also a lead of the active campaign " + other + " (imported all the same)"));
        }
      }
      leads.insert(campaignId, importId, inserts, now);
      pending.clear();
    }

    LeadImportReport report(String fileName, Actor actor) {
      return new LeadImportReport(
          importId,
          campaignId,
          fileName,
          rows,
          accepted,
          duplicates,
          invalid,
          held,
          inOtherCampaigns,
          now,
          actor.email(),
          null);
    }
  }

  private void audit(Actor actor, LeadImportReport report) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("campaignId", report.campaignId().toString());
    details.put("rows", report.rows());
    details.put("accepted", report.accepted());
    details.put("duplicates", report.duplicates());
    details.put("invalid", report.invalid());
    details.put("held", report.held());
    events.publishEvent(
        new AuditEvent(
            actor.userId(),
            actor.email(),
            "campaign.leads_imported",
            "lead_import",
            report.id().toString(),
            details));
  }

  private static Reader utf8(InputStream in) {
    return new InputStreamReader(
        in,
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT));
  }

  // Truncated to what both databases store, so a response equals what a later read returns.
  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }
}
