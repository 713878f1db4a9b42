package io.parley.calls;

import io.parley.auth.Role;
import io.parley.auth.SignIns.SignIn;
import io.parley.shared.Actor;
import io.parley.shared.Organisations;
import io.parley.shared.Page;
import java.io.Writer;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.stereotype.Service;

/**
 * The call history as the API and the web console both serve it: the filtered, sorted, paged list,
 * its CSV export, one call, its recording's signed link and the recording's deletion. {@code
 * CallController}, {@code RecordingController} and the console's calls pages all go through here,
 * so a filter, an error or an audit entry is the same wherever it comes from. Who may do what is
 * the caller's to check (the API's {@code @PreAuthorize}, the console's pages), except playback,
 * whose role is a setting of this module.
 */
@Service
public class CallBrowsing {

  private final CallHistory history;
  private final CallExporter exporter;
  private final RecordingPlayback playback;
  private final RecordingRemoval removal;
  private final RecordingSettings recordings;
  private final JdbcClient jdbc;

  CallBrowsing(
      CallHistory history,
      CallExporter exporter,
      RecordingPlayback playback,
      RecordingRemoval removal,
      RecordingSettings recordings,
      JdbcClient jdbc) {
    this.history = history;
    this.exporter = exporter;
    this.playback = playback;
    this.removal = removal;
    this.recordings = recordings;
    this.jdbc = jdbc;
  }

  /** The columns {@code sort} takes, as the API names them. */
  public static final List<String> SORT_COLUMNS = List.copyOf(CallSort.COLUMNS.keySet());

  /** The statuses a call can have, as the API spells them. */
  public static final List<String> STATUSES =
      Arrays.stream(CallStatus.values()).map(CallStatus::wire).toList();

  /**
   * The outcomes a call record can end with (the compliance gate's refusals are a lead's, never a
   * call's).
   */
  public static final List<String> OUTCOMES =
      Arrays.stream(CallOutcome.values())
          .filter(
              o ->
                  o != CallOutcome.DNC_BLOCKED
                      && o != CallOutcome.WINDOW_BLOCKED
                      && o != CallOutcome.NUMBER_CAP_BLOCKED
                      && o != CallOutcome.CONSENT_MISSING)
          .map(CallOutcome::wire)
          .toList();

  /**
   * One page of the history; {@link io.parley.shared.InvalidInputException} naming every bad
   * parameter, as {@code GET /api/calls} answers 422.
   */
  public Page<CallSummary> list(CallListParams params) {
    return history.list(Organisations.DEFAULT_ID, CallQuery.parse(params));
  }

  /** An export whose query has been checked and whose audit entry is committed. */
  public interface Export {

    /** Writes the header and every selected call; returns how many calls. */
    long writeTo(Writer out);
  }

  /**
   * Checks the query (422 before anything is written or audited) and records {@code calls.exported}
   * for {@code actor}; the caller then sets its headers and has the export write the rows.
   */
  public Export export(CallListParams params, Actor actor) {
    CallQuery query = CallQuery.parse(params);
    exporter.audit(query, actor);
    return out -> exporter.write(Organisations.DEFAULT_ID, query, out);
  }

  /** One call with everything it recorded; {@link io.parley.shared.NotFoundException} otherwise. */
  public CallDetails details(UUID callId) {
    return history.details(Organisations.DEFAULT_ID, callId);
  }

  /** The least role that may listen to recordings ({@code PARLEY_RECORDINGS_PLAYBACK_ROLE}). */
  public Role playbackRole() {
    return Role.valueOf(recordings.playbackRole());
  }

  /** Whether a user with this role may listen to recordings. */
  public boolean mayPlay(Role role) {
    return recordings.allows(role);
  }

  /**
   * A signed link to the recording's audio (path and query, {@code /api/calls/{id}/recording/
   * audio?…}), working for five minutes for {@code signIn} (audited {@code recording.link_issued}).
   * Refused below the playback role; 404 without a recording.
   */
  public RecordingLink recordingLink(UUID callId, Role role, Actor actor, SignIn signIn) {
    if (!mayPlay(role)) {
      throw new AccessDeniedException(
          "Listening to recordings needs the " + recordings.playbackRole() + " role");
    }
    RecordingLinks.Link link = playback.issue(Organisations.DEFAULT_ID, callId, actor, signIn);
    return new RecordingLink(
        "/api/calls/" + callId + "/recording/audio?" + link.query(), link.expiresAt());
  }

  /**
   * A recording's signed link.
   *
   * @param path where the audio is, from the server's root (path and query)
   * @param expiresAt when it stops working
   */
  public record RecordingLink(String path, Instant expiresAt) {}

  /**
   * Deletes the call's recording at Twilio and Parley (ADMIN: the caller checks), audited {@code
   * recording.deleted}; 404 without one, 409 on legal hold, 502/503 when Twilio cannot confirm.
   */
  public void deleteRecording(UUID callId, Actor actor) {
    removal.delete(Organisations.DEFAULT_ID, callId, actor, "admin");
  }

  /** An agent to filter the history by. */
  public record AgentChoice(UUID id, String name, boolean deleted) {}

  /**
   * The organisation's agents, deleted ones too (their calls stay in the history), by name; at most
   * 500. Read from the agents' table, as the list reads the prompts' names.
   */
  public List<AgentChoice> agents() {
    return jdbc.sql(
            "SELECT id, name, deleted_at FROM agent WHERE organisation_id = :org"
                + " ORDER BY name, id LIMIT 500")
        .param("org", Organisations.DEFAULT_ID)
        .query(
            (rs, row) ->
                new AgentChoice(
                    UUID.fromString(rs.getString("id")),
                    rs.getString("name"),
                    rs.getTimestamp("deleted_at") != null))
        .list();
  }
}
