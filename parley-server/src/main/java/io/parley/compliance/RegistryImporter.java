package io.parley.compliance;

import io.parley.compliance.RegistryImportReport.Line;
import io.parley.compliance.RegistryImportReport.Skipped;
import io.parley.shared.Actor;
import io.parley.shared.AuditEvent;
import io.parley.shared.ConflictException;
import io.parley.shared.InvalidInputException;
import io.parley.shared.LimitedInputStream;
import java.io.BufferedReader;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Imports a registry file as it streams in. The numbers are written under a new copy id in
 * transactions of {@link #BATCH} rows while the copy in force keeps answering the gate; once the
 * whole file is in, one short transaction points the covered area codes at the new copy. A file
 * refused or broken part-way (no number in the coverage, the client gone, the database) leaves the
 * previous copy in force; its partial rows, like the replaced copy's, are deleted in batches by
 * {@link RegistryPurge}. Never is the file, or a batch bigger than {@link #BATCH}, held whole.
 */
@Service
class RegistryImporter {

  private static final Logger log = LoggerFactory.getLogger(RegistryImporter.class);

  /** Largest upload: the whole national registry (about 250 million lines) fits, zipped. */
  static final long MAX_BYTES = 2L * 1024 * 1024 * 1024;

  /**
   * Most bytes read after unpacking a zip or gzip upload: well above the whole national registry as
   * text (about 250 million lines of 12 bytes), well below what a zip bomb would unpack to.
   */
  static final long MAX_UNPACKED_BYTES = 8L * 1024 * 1024 * 1024;

  /** Numbers written per transaction. */
  static final int BATCH = 10_000;

  /** Skipped lines listed in the answer, per kind; the rest are counted. */
  static final int FIRST_LINES = 20;

  /** A loading copy whose heartbeat is older than this was abandoned (its node died). */
  static final Duration ABANDONED_AFTER = Duration.ofMinutes(5);

  private static final Pattern NAME = Pattern.compile("[\\p{L}\\p{N}][\\p{L}\\p{N} ._()-]{0,59}");
  // The day is "today" somewhere on earth until it is today in UTC+14: an asOf is in the future
  // only if no one anywhere could have downloaded the file on it yet.
  private static final ZoneId EARLIEST_ZONE = ZoneId.of("Pacific/Kiritimati");
  private static final int TEXT_ECHO = 60;

  /** How the body is packed. */
  enum Packing {
    PLAIN,
    ZIP,
    GZIP
  }

  private final RegistryRepository repository;
  private final RegistryPurge purge;
  private final ApplicationEventPublisher events;
  private final TransactionTemplate transaction;
  private final Clock clock;

  RegistryImporter(
      RegistryRepository repository,
      RegistryPurge purge,
      ApplicationEventPublisher events,
      PlatformTransactionManager transactions,
      ObjectProvider<Clock> clock) {
    this.repository = repository;
    this.purge = purge;
    this.events = events;
    this.transaction = new TransactionTemplate(transactions);
    this.clock = clock.getIfUnique(Clock::systemUTC);
  }

  /** The request, checked: every bad field is named at once. */
  record Request(String name, RegistryKind kind, LocalDate asOf, AreaCodes coverage) {}

  Request check(String name, String kind, String asOf, String areaCodes) {
    Map<String, String> errors = new LinkedHashMap<>();
    String cleanName = name == null ? "" : name.strip();
    if (!NAME.matcher(cleanName).matches()) {
      errors.put(
          "name",
          "must be 1 to 60 letters, digits, spaces, dots, dashes, underscores or brackets,"
              + " starting with a letter or digit (e.g. US national, TX)");
    }
    RegistryKind parsedKind = null;
    if (kind != null && !kind.isBlank()) {
      parsedKind = RegistryKind.parse(kind.strip().toLowerCase(Locale.ROOT)).orElse(null);
      if (parsedKind == null) {
        errors.put("kind", "must be national or state");
      }
    }
    LocalDate date = null;
    if (asOf == null || asOf.isBlank()) {
      errors.put(
          "asOf", "is required: the day the file was downloaded from the registry (YYYY-MM-DD)");
    } else {
      try {
        date = LocalDate.parse(asOf.strip());
        if (date.isAfter(LocalDate.now(clock.withZone(EARLIEST_ZONE)))) {
          errors.put(
              "asOf",
              "is in the future ("
                  + date
                  + "): it is the day the file was downloaded from the registry");
          date = null;
        }
      } catch (DateTimeParseException e) {
        errors.put("asOf", "must be a date, YYYY-MM-DD");
      }
    }
    AreaCodes coverage = null;
    try {
      coverage = AreaCodes.parse(areaCodes, "areaCodes");
    } catch (InvalidInputException e) {
      errors.putAll(e.fieldErrors());
    }
    if (!errors.isEmpty()) {
      throw new InvalidInputException(errors);
    }
    return new Request(cleanName, parsedKind, date, coverage);
  }

  /**
   * Replaces the covered area codes of a list with the numbers of a file.
   *
   * @throws InvalidInputException naming {@code kind} (a new list without one, or the wrong one),
   *     or {@code file} (no number within the coverage: empty, a layout not read, the wrong
   *     coverage)
   * @throws ConflictException when an import of the same list is under way, or the list was deleted
   *     before this one finished
   */
  RegistryImportReport importFile(
      UUID organisationId, Request request, InputStream body, Packing packing, Actor actor)
      throws IOException {
    Instant started = clock.instant();
    Started copy = start(organisationId, request, actor);
    Run run = new Run(request.coverage(), copy.copyId());
    boolean switched = false;
    try {
      read(limited(body, MAX_BYTES), packing, run);
      run.flush();
      if (run.accepted == 0) {
        throw new InvalidInputException("file", emptyReason(run));
      }
      Map<Integer, Long> counts = repository.countNumbers(copy.copyId());
      long numbers = counts.values().stream().mapToLong(Long::longValue).sum();
      switchTo(organisationId, copy, request, counts, numbers, run, actor);
      switched = true;
      long millis = Duration.between(started, clock.instant()).toMillis();
      log.info(
          "Registry list {} ({}): {} numbers in force for {}, as of {}, in {} ms",
          request.name(),
          copy.kind().wire(),
          numbers,
          request.coverage(),
          request.asOf(),
          millis);
      BitSet empty = (BitSet) request.coverage().codes().clone();
      counts.keySet().forEach(empty::clear);
      return new RegistryImportReport(
          copy.copyId(),
          request.name(),
          copy.kind(),
          request.coverage().toString(),
          request.asOf(),
          run.lines,
          numbers,
          run.accepted - numbers,
          new AreaCodes(empty).toString(),
          new Skipped(run.outside, run.outsideLines),
          new Skipped(run.bad, run.badLines),
          run.headerSkipped,
          millis);
    } finally {
      if (!switched) {
        abandon(copy);
      }
      purge.soon();
    }
  }

  private record Started(UUID registryId, boolean createdList, long copyId, RegistryKind kind) {}

  private Started start(UUID organisationId, Request request, Actor actor) {
    try {
      return transaction.execute(
          status -> {
            Instant now = now();
            var existing = repository.find(organisationId, request.name(), true);
            UUID registryId;
            RegistryKind kind;
            boolean created = existing.isEmpty();
            if (existing.isPresent()) {
              registryId = existing.get().id();
              kind = existing.get().kind();
              if (request.kind() != null && request.kind() != kind) {
                throw new InvalidInputException(
                    "kind",
                    "is "
                        + request.kind().wire()
                        + " but the list "
                        + request.name()
                        + " is "
                        + kind.wire()
                        + " (delete it first to change it)");
              }
              if (repository.loadingCopy(registryId, now.minus(ABANDONED_AFTER)).isPresent()) {
                throw new ConflictException(
                    "An import of the list "
                        + request.name()
                        + " is under way; wait for it to finish.");
              }
            } else {
              if (request.kind() == null) {
                throw new InvalidInputException(
                    "kind", "is required for a new list: national or state");
              }
              kind = request.kind();
              registryId = UUID.randomUUID();
              repository.insertRegistry(
                  organisationId,
                  new RegistryRepository.Registry(registryId, request.name(), kind, now));
            }
            long copyId =
                repository.insertCopy(
                    organisationId,
                    registryId,
                    request.coverage().toString(),
                    request.asOf(),
                    actor,
                    now);
            return new Started(registryId, created, copyId, kind);
          });
    } catch (DuplicateKeyException e) {
      // Two first imports of one new list: the other one created it a moment ago.
      throw new ConflictException(
          "An import of the list " + request.name() + " is under way; wait for it to finish.");
    }
  }

  private void switchTo(
      UUID organisationId,
      Started copy,
      Request request,
      Map<Integer, Long> counts,
      long numbers,
      Run run,
      Actor actor) {
    transaction.executeWithoutResult(
        status -> {
          if (repository.find(organisationId, request.name(), true).isEmpty()) {
            throw new ConflictException(
                "The list " + request.name() + " was deleted while this file was imported.");
          }
          request.coverage().stream()
              .forEach(
                  code ->
                      repository.switchArea(
                          copy.registryId(),
                          code,
                          copy.copyId(),
                          request.asOf(),
                          counts.getOrDefault(code, 0L)));
          repository.finishCopy(copy.copyId(), "active", numbers, now());
          Map<String, Object> details = new LinkedHashMap<>();
          details.put("registry", request.name());
          details.put("kind", copy.kind().wire());
          details.put("copyId", copy.copyId());
          details.put("coverage", request.coverage().toString());
          details.put("asOf", request.asOf().toString());
          details.put("numbers", numbers);
          details.put("lines", run.lines);
          details.put("outsideCoverage", run.outside);
          details.put("badLines", run.bad);
          events.publishEvent(
              new AuditEvent(
                  actor.userId(),
                  actor.email(),
                  "dnc.registry_imported",
                  "dnc_registry",
                  copy.registryId().toString(),
                  details));
        });
  }

  // The import did not switch: the copy is marked failed (the purge deletes its rows), and a
  // list this import created is removed again, so a failed first import leaves nothing behind.
  private void abandon(Started copy) {
    try {
      transaction.executeWithoutResult(
          status -> {
            repository.finishCopy(copy.copyId(), "failed", 0, now());
            if (copy.createdList()) {
              repository.deleteRegistry(copy.registryId());
            }
          });
    } catch (RuntimeException e) {
      // The purge finds the copy once its heartbeat is old enough.
      log.warn("Could not mark registry copy {} failed: {}", copy.copyId(), e.toString());
    }
  }

  private void read(InputStream body, Packing packing, Run run) throws IOException {
    try {
      unpack(body, packing, run);
    } catch (ZipException | EOFException e) {
      // The upload's own bytes are wrong (not gzip, a broken zip, cut short): the sender's
      // mistake, like a bad line, not a failure of Parley's.
      throw new InvalidInputException(
          "file",
          "is not a readable "
              + packing.name().toLowerCase(Locale.ROOT)
              + " file ("
              + e.getMessage()
              + "); nothing was imported");
    }
  }

  private void unpack(InputStream body, Packing packing, Run run) throws IOException {
    switch (packing) {
      case PLAIN -> lines(body, null, run);
      case GZIP ->
          lines(limited(new GZIPInputStream(body, 64 * 1024), MAX_UNPACKED_BYTES), null, run);
      case ZIP -> {
        ZipInputStream zip = new ZipInputStream(body);
        LimitedInputStream unpacked = limited(new Unclosable(zip), MAX_UNPACKED_BYTES);
        boolean any = false;
        for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
          if (!entry.isDirectory()) {
            any = true;
            lines(unpacked, entry.getName(), run);
          }
        }
        if (!any) {
          throw new InvalidInputException("file", "is not a zip file with a file in it");
        }
      }
    }
  }

  private void lines(InputStream in, String entry, Run run) throws IOException {
    // ISO-8859-1 maps every byte to a character: a stray byte makes a bad line, never a failure.
    BufferedReader reader =
        new BufferedReader(new InputStreamReader(in, StandardCharsets.ISO_8859_1), 64 * 1024);
    long line = 0;
    for (String text = reader.readLine(); text != null; text = reader.readLine()) {
      line++;
      run.take(entry, line, text);
    }
  }

  private static String emptyReason(Run run) {
    if (run.lines == 0 || run.lines == run.blank + (run.headerSkipped ? 1 : 0)) {
      return "is empty: expected one number per line (2015550123, +12015550123) or the"
          + " registry's area code,number lines (201,5550123)";
    }
    if (run.outside > 0) {
      return "has no number within areaCodes ("
          + run.outside
          + " valid numbers are outside it, e.g. line "
          + run.outsideLines.getFirst().line()
          + "): check areaCodes; nothing was imported";
    }
    return "has no line in a layout Parley reads ("
        + run.bad
        + " bad lines, e.g. line "
        + run.badLines.getFirst().line()
        + "): expected one number per line (2015550123, +12015550123) or the registry's area"
        + " code,number lines (201,5550123); nothing was imported";
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }

  /** One import's counts and the batch being filled. */
  private final class Run {
    final AreaCodes coverage;
    final long copyId;
    final int[] batch = new int[2 * BATCH];
    int filled;
    long lines;
    long blank;
    long accepted;
    long outside;
    long bad;
    boolean headerSkipped;
    final List<Line> outsideLines = new ArrayList<>();
    final List<Line> badLines = new ArrayList<>();

    Run(AreaCodes coverage, long copyId) {
      this.coverage = coverage;
      this.copyId = copyId;
    }

    void take(String entry, long line, String text) {
      lines++;
      if (text.isBlank()) {
        blank++;
        return;
      }
      RegistryLine.Number number = RegistryLine.parse(text);
      if (number == null) {
        if (line == 1 && hasLetter(text)) {
          headerSkipped = true;
          return;
        }
        bad++;
        if (badLines.size() < FIRST_LINES) {
          badLines.add(new Line(line, entry, echo(text)));
        }
        return;
      }
      if (!coverage.contains(number.areaCode())) {
        outside++;
        if (outsideLines.size() < FIRST_LINES) {
          outsideLines.add(new Line(line, entry, echo(text)));
        }
        return;
      }
      accepted++;
      batch[2 * filled] = number.areaCode();
      batch[2 * filled + 1] = number.localNumber();
      if (++filled == BATCH) {
        flush();
      }
    }

    void flush() {
      if (filled == 0) {
        return;
      }
      int count = filled;
      transaction.executeWithoutResult(
          status -> {
            repository.insertNumbers(copyId, batch, count);
            repository.heartbeat(copyId, now());
          });
      filled = 0;
    }
  }

  private static boolean hasLetter(String text) {
    return text.chars().anyMatch(Character::isLetter);
  }

  private static String echo(String text) {
    String line = text.length() > TEXT_ECHO ? text.substring(0, TEXT_ECHO) + "…" : text;
    StringBuilder safe = new StringBuilder(line.length());
    line.codePoints().forEach(c -> safe.appendCodePoint(Character.isISOControl(c) ? '\uFFFD' : c));
    return safe.toString();
  }

  /** The body, refused (413) once it passes {@code limit} bytes. */
  static LimitedInputStream limited(InputStream in, long limit) {
    return new LimitedInputStream(
        in,
        limit,
        () ->
            new RegistryTooLargeException(
                limit == MAX_BYTES
                    ? "The file is larger than 2 GiB; upload it zipped (application/zip) or split"
                        + " it by area code."
                    : "The file unpacks to more than 8 GiB; split it by area code."));
  }

  // A zip entry's reader must not close the zip stream when it is done with the entry.
  private static final class Unclosable extends FilterInputStream {
    Unclosable(InputStream in) {
      super(in);
    }

    @Override
    public void close() {}
  }
}
