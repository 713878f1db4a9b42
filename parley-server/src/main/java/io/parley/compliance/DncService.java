package io.parley.compliance;

import io.parley.compliance.CsvRecords.MalformedCsvException;
import io.parley.shared.Actor;
import io.parley.shared.AuditEvent;
import io.parley.shared.ConflictException;
import io.parley.shared.InvalidInputException;
import io.parley.shared.NotFoundException;
import io.parley.shared.Page;
import io.parley.shared.PageRequest;
import java.nio.ByteBuffer;
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
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The do-not-call list: adds (idempotent), removals (soft, audited), listing and CSV import. Every
 * change is written and audited in one transaction.
 */
@Service
class DncService implements DoNotCallList {

  static final int MAX_REASON = 500;
  static final int MAX_IMPORT_ROWS = 10_000;

  private static final Pattern PREFIX = Pattern.compile("\\+?[0-9]{0,15}");
  private static final Pattern UUID_TEXT =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  private final DncRepository repository;
  private final ApplicationEventPublisher events;
  private final Clock clock;

  DncService(
      DncRepository repository, ApplicationEventPublisher events, ObjectProvider<Clock> clock) {
    this.repository = repository;
    this.events = events;
    this.clock = clock.getIfUnique(Clock::systemUTC);
  }

  @Override
  @Transactional(readOnly = true)
  public boolean isBlocked(UUID organisationId, String phoneNumber) {
    return repository.isBlocked(organisationId, PhoneNumbers.canonical(phoneNumber, "phoneNumber"));
  }

  @Override
  @Transactional(readOnly = true)
  public Optional<DncEntry> find(UUID organisationId, String phoneNumber) {
    return repository.findActive(
        organisationId, PhoneNumbers.canonical(phoneNumber, "phoneNumber"), false);
  }

  @Override
  @Transactional
  public DncAddition add(
      UUID organisationId, String phoneNumber, DncSource source, String reason, AddedBy addedBy) {
    String number = PhoneNumbers.canonical(phoneNumber, "phoneNumber");
    String why = reason(reason, "reason");
    Optional<DncEntry> existing = repository.findActive(organisationId, number, false);
    if (existing.isPresent()) {
      return new DncAddition(existing.get(), false);
    }
    Optional<DncEntry> added = insert(organisationId, number, source, why, addedBy);
    if (added.isEmpty()) {
      return new DncAddition(lockedEntry(organisationId, number), false);
    }
    DncEntry entry = added.get();
    Map<String, Object> details = new HashMap<>();
    details.put("phoneNumber", number);
    details.put("source", source.wire());
    if (why != null) {
      details.put("reason", why);
    }
    if (addedBy instanceof AddedBy.Call(UUID callId)) {
      details.put("callId", callId.toString());
    }
    if (addedBy instanceof AddedBy.Text(UUID messageId)) {
      details.put("messageId", messageId.toString());
    }
    audit(addedBy, "dnc.added", entry.id().toString(), details);
    return new DncAddition(entry, true);
  }

  /**
   * Takes an entry off the list. {@code idOrNumber} is the entry's id or the number itself.
   *
   * @throws NotFoundException when there is no active entry
   */
  @Transactional
  DncEntry remove(UUID organisationId, String idOrNumber, String reason, Actor actor) {
    String why = reason(reason, "reason");
    DncEntry entry = activeEntry(organisationId, idOrNumber);
    Instant now = now();
    if (!repository.remove(organisationId, entry.id(), actor, why, now)) {
      throw new NotFoundException("No active do-not-call entry " + idOrNumber);
    }
    Map<String, Object> details = new HashMap<>();
    details.put("phoneNumber", entry.phoneNumber());
    details.put("source", entry.source().wire());
    if (why != null) {
      details.put("reason", why);
    }
    audit(AddedBy.user(actor), "dnc.removed", entry.id().toString(), details);
    return removed(entry, now, actor, why);
  }

  @Override
  @Transactional
  public Optional<DncEntry> removeTextOptOut(
      UUID organisationId, String phoneNumber, String reason, UUID messageId) {
    String number = PhoneNumbers.canonical(phoneNumber, "phoneNumber");
    String why = reason(reason, "reason");
    Optional<DncEntry> active = repository.findActive(organisationId, number, true);
    if (active.isEmpty() || active.get().source() != DncSource.OPT_OUT_SMS) {
      return Optional.empty();
    }
    DncEntry entry = active.get();
    Instant now = now();
    if (!repository.remove(organisationId, entry.id(), null, why, now)) {
      return Optional.empty();
    }
    Map<String, Object> details = new HashMap<>();
    details.put("phoneNumber", number);
    details.put("source", entry.source().wire());
    details.put("messageId", messageId.toString());
    if (why != null) {
      details.put("reason", why);
    }
    audit(new AddedBy.Text(messageId), "dnc.removed", entry.id().toString(), details);
    return Optional.of(removed(entry, now, null, why));
  }

  @Transactional(readOnly = true)
  Page<DncEntry> list(
      UUID organisationId, String numberPrefix, boolean includeRemoved, PageRequest request) {
    String prefix = prefix(numberPrefix);
    return new Page<>(
        repository.page(organisationId, prefix, includeRemoved, request),
        request.page(),
        request.size(),
        repository.count(organisationId, prefix, includeRemoved));
  }

  /**
   * Imports a CSV file with a {@code phone_number} column and an optional {@code reason} column.
   *
   * <p>The rule: a file that cannot be read as a whole (not UTF-8, not CSV, no {@code phone_number}
   * column, no rows, too many rows) is refused with 422 and changes nothing. In a readable file,
   * each bad row is reported and skipped while the good rows are added; numbers already on the list
   * (or repeated in the file) are counted, not changed. The whole import is one transaction, so a
   * failure part-way (the database, the audit log) leaves nothing behind.
   */
  @Transactional
  ImportReport importCsv(UUID organisationId, byte[] body, Actor actor) {
    List<CsvRecords.Record> records = records(body);
    CsvRecords.Record header = records.getFirst();
    int numberColumn = column(header, "phone_number");
    if (numberColumn < 0) {
      throw new InvalidInputException(
          "file",
          "the first line must be a header with a phone_number column (and optionally reason);"
              + " found: "
              + String.join(",", header.fields()));
    }
    int reasonColumn = column(header, "reason");
    List<CsvRecords.Record> rows = records.subList(1, records.size());
    if (rows.isEmpty()) {
      throw new InvalidInputException("file", "has a header but no rows");
    }
    if (rows.size() > MAX_IMPORT_ROWS) {
      throw new InvalidInputException(
          "file",
          "has "
              + rows.size()
              + " rows; at most "
              + MAX_IMPORT_ROWS
              + " are imported at once (split the file)");
    }

    List<ImportReport.RowError> errors = new ArrayList<>();
    Map<String, String> valid = new LinkedHashMap<>();
    int repeated = 0;
    for (CsvRecords.Record row : rows) {
      try {
        String number = PhoneNumbers.canonical(field(row, numberColumn), "phone_number");
        String why = reason(reasonColumn < 0 ? null : field(row, reasonColumn), "reason");
        if (valid.putIfAbsent(number, why == null ? "" : why) != null) {
          repeated++;
        }
      } catch (InvalidInputException e) {
        e.fieldErrors()
            .forEach(
                (field, message) ->
                    errors.add(new ImportReport.RowError(row.line(), field + " " + message)));
      }
    }

    Set<String> present = repository.activeAmong(organisationId, valid.keySet());
    AddedBy addedBy = AddedBy.user(actor);
    int added = 0;
    int raced = 0;
    for (Map.Entry<String, String> entry : valid.entrySet()) {
      if (present.contains(entry.getKey())) {
        continue;
      }
      String why = entry.getValue().isEmpty() ? null : entry.getValue();
      if (insert(organisationId, entry.getKey(), DncSource.IMPORT, why, addedBy).isPresent()) {
        added++;
      } else {
        raced++;
      }
    }
    ImportReport report =
        new ImportReport(rows.size(), added, present.size() + repeated + raced, errors);
    audit(
        addedBy,
        "dnc.imported",
        null,
        Map.of(
            "rows", report.rows(),
            "added", report.added(),
            "alreadyPresent", report.alreadyPresent(),
            "errors", report.errors().size()));
    return report;
  }

  /** The new entry, or empty when a concurrent request added the number first. */
  private Optional<DncEntry> insert(
      UUID organisationId, String number, DncSource source, String reason, AddedBy addedBy) {
    DncEntry entry =
        new DncEntry(
            UUID.randomUUID(),
            number,
            source,
            reason,
            addedBy instanceof AddedBy.Call(UUID callId) ? callId : null,
            now(),
            addedBy instanceof AddedBy.User(Actor actor) ? actor : null,
            null,
            null,
            null);
    try {
      repository.insert(organisationId, entry);
      return Optional.of(entry);
    } catch (DuplicateKeyException e) {
      return Optional.empty();
    }
  }

  private DncEntry lockedEntry(UUID organisationId, String number) {
    return repository
        .findActive(organisationId, number, true)
        .orElseThrow(
            () ->
                new ConflictException(
                    "The do-not-call entry for " + number + " changed meanwhile; try again."));
  }

  private DncEntry activeEntry(UUID organisationId, String idOrNumber) {
    String text = idOrNumber == null ? "" : idOrNumber.strip();
    if (UUID_TEXT.matcher(text).matches()) {
      return repository
          .findActiveById(organisationId, UUID.fromString(text))
          .orElseThrow(() -> new NotFoundException("No active do-not-call entry " + text));
    }
    if (!text.startsWith("+")) {
      throw new InvalidInputException(
          "phoneNumber",
          "must be an entry id or a phone number in E.164 form (+ and the country code)");
    }
    String number = PhoneNumbers.canonical(text, "phoneNumber");
    return repository
        .findActive(organisationId, number, false)
        .orElseThrow(() -> new NotFoundException(number + " is not on the do-not-call list"));
  }

  static DncEntry removed(DncEntry entry, Instant at, Actor actor, String reason) {
    return new DncEntry(
        entry.id(),
        entry.phoneNumber(),
        entry.source(),
        entry.reason(),
        entry.callId(),
        entry.createdAt(),
        entry.createdBy(),
        at,
        actor,
        reason);
  }

  private static List<CsvRecords.Record> records(byte[] body) {
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(body))
              .toString();
    } catch (CharacterCodingException e) {
      throw new InvalidInputException("file", "is not UTF-8 text");
    }
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1);
    }
    List<CsvRecords.Record> records;
    try {
      records = CsvRecords.parse(text);
    } catch (MalformedCsvException e) {
      throw new InvalidInputException("file", "is not valid CSV: " + e.getMessage());
    }
    if (records.isEmpty()) {
      throw new InvalidInputException("file", "is empty; expected a header line with phone_number");
    }
    return records;
  }

  private static int column(CsvRecords.Record header, String name) {
    List<String> fields = header.fields();
    for (int i = 0; i < fields.size(); i++) {
      if (fields.get(i).strip().toLowerCase(Locale.ROOT).equals(name)) {
        return i;
      }
    }
    return -1;
  }

  private static String field(CsvRecords.Record row, int column) {
    return column < row.fields().size() ? row.fields().get(column) : null;
  }

  static String reason(String reason, String field) {
    if (reason == null || reason.isBlank()) {
      return null;
    }
    String text = reason.strip();
    if (text.codePointCount(0, text.length()) > MAX_REASON) {
      throw new InvalidInputException(field, "must be at most " + MAX_REASON + " characters");
    }
    // The API refuses NUL at the edge; a CSV row is checked here (PostgreSQL cannot store it).
    if (text.indexOf('\0') >= 0) {
      throw new InvalidInputException(field, "must not contain NUL characters");
    }
    return text;
  }

  private static String prefix(String numberPrefix) {
    if (numberPrefix == null || numberPrefix.isBlank()) {
      return "+";
    }
    String text = numberPrefix.strip();
    if (!PREFIX.matcher(text).matches()) {
      throw new InvalidInputException(
          "number", "must be the start of an E.164 number: + and up to 15 digits");
    }
    return text.startsWith("+") ? text : "+" + text;
  }

  private void audit(AddedBy by, String action, String targetId, Map<String, Object> details) {
    Actor actor = by instanceof AddedBy.User(Actor user) ? user : null;
    events.publishEvent(
        new AuditEvent(
            actor == null ? null : actor.userId(),
            actor == null ? null : actor.email(),
            action,
            "do_not_call",
            targetId,
            details));
  }

  // Truncated to what both databases store, so a response equals what a later read returns.
  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }
}
