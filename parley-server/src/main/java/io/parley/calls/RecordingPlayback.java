package io.parley.calls;

import io.parley.auth.SignIns;
import io.parley.auth.SignIns.SignIn;
import io.parley.shared.Actor;
import io.parley.shared.AuditEvent;
import io.parley.shared.NotFoundException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;

/**
 * Who may hear a recording, and the audit log of those who did: a link is issued only to a user
 * with the playback role ({@code PARLEY_RECORDINGS_PLAYBACK_ROLE}) for a call that has a recording
 * ({@code recording.link_issued}); each request of the audio through a link is recorded as {@code
 * recording.played} with the byte range asked for, once the request is admitted (valid link,
 * sign-in still standing, recording present), before Twilio is asked.
 */
@Service
class RecordingPlayback {

  private static final Logger log = LoggerFactory.getLogger(RecordingPlayback.class);
  private static final int MAX_RANGE = 100;

  private final CallRepository calls;
  private final RecordingLinks links;
  private final SignIns signIns;
  private final ApplicationEventPublisher events;

  RecordingPlayback(
      CallRepository calls,
      RecordingLinks links,
      SignIns signIns,
      ApplicationEventPublisher events) {
    this.calls = calls;
    this.links = links;
    this.signIns = signIns;
    this.events = events;
  }

  /** A fresh link for the signed-in user; 404 when there is no such call or no recording yet. */
  RecordingLinks.Link issue(UUID organisationId, UUID callId, Actor actor) {
    return issue(organisationId, callId, actor, signIns.current());
  }

  /**
   * A fresh link for {@code signIn}, the sign-in it dies with (a console session's user and token
   * version, or an access token's); 404 when there is no such call or no recording yet.
   */
  RecordingLinks.Link issue(UUID organisationId, UUID callId, Actor actor, SignIn signIn) {
    Recording recording = recording(organisationId, callId);
    RecordingLinks.Link link = links.issue(callId, signIn);
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("recordingSid", recording.sid());
    details.put("expiresAt", link.expiresAt().toString());
    events.publishEvent(
        new AuditEvent(
            actor.userId(),
            actor.email(),
            "recording.link_issued",
            "call",
            callId.toString(),
            details));
    return link;
  }

  /**
   * The recording a link opens, after checking the link and that its user may still sign in (a
   * disabled account or revoked tokens end its links too), and recording the playback.
   */
  Recording admit(UUID organisationId, UUID callId, LinkParams params, String range) {
    RecordingLinks.Holder holder =
        links.verify(callId, params.expires(), params.user(), params.tv(), params.sig());
    SignIn signIn = holder.signIn();
    if (!signIns.stillValid(signIn)) {
      log.info(
          "Refused a recording link for call {} of user {}: the account was disabled or its"
              + " tokens revoked since",
          callId,
          signIn.userId());
      throw new LinkRefused();
    }
    Recording recording = recording(organisationId, callId);
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("recordingSid", recording.sid());
    // The header is the client's: kept short, so a hostile one cannot bloat the audit log.
    details.put(
        "range",
        range == null ? "all" : range.length() > MAX_RANGE ? range.substring(0, MAX_RANGE) : range);
    events.publishEvent(
        new AuditEvent(
            signIn.userId(), null, "recording.played", "call", callId.toString(), details));
    return recording;
  }

  private Recording recording(UUID organisationId, UUID callId) {
    CallRecord call =
        calls
            .find(callId)
            .filter(found -> found.organisationId().equals(organisationId))
            .orElseThrow(() -> new NotFoundException("No call " + callId));
    if (call.recording() == null) {
      throw new NotFoundException("Call " + callId + " has no recording (yet)");
    }
    return call.recording();
  }

  /** A link's query parameters, as text: they are checked by {@link RecordingLinks#verify}. */
  record LinkParams(String expires, String user, String tv, String sig) {}
}
