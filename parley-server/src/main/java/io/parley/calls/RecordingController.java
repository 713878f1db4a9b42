package io.parley.calls;

import io.parley.shared.Actor;
import io.parley.shared.Organisations;
import io.parley.tickets.Tickets;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * Recording playback. {@code POST .../recording/link} (the playback role) returns a signed URL that
 * works for five minutes; {@code GET .../recording/audio} (no bearer: a browser's {@code <audio>}
 * cannot send one; the signature is the credential) streams the audio from Twilio, passing on the
 * byte range asked for so the player can seek; from Parley's encrypted copy instead when it keeps
 * one ({@code PARLEY_RECORDING_STORE=local}). Nothing is cached or buffered whole. {@code DELETE}
 * (ADMIN) removes the recording from Twilio and Parley.
 */
@RestController
@RequestMapping("/api/calls/{id}/recording")
class RecordingController {

  private static final Logger log = LoggerFactory.getLogger(RecordingController.class);

  /** One byte range: what a media element asks for. */
  private static final Pattern RANGE =
      Pattern.compile("bytes=(?:(\\d{1,18})-(\\d{0,18})|-(\\d{1,18}))");

  private final RecordingPlayback playback;
  private final RecordingAudio audio;
  private final RecordingSettings settings;
  private final RoleHierarchy roles;
  private final LocalRecordingStore store;
  private final CallBrowsing browsing;

  RecordingController(
      RecordingPlayback playback,
      RecordingAudio audio,
      RecordingSettings settings,
      RoleHierarchy roles,
      LocalRecordingStore store,
      CallBrowsing browsing) {
    this.playback = playback;
    this.audio = audio;
    this.settings = settings;
    this.roles = roles;
    this.store = store;
    this.browsing = browsing;
  }

  /**
   * @param url where the browser fetches the audio (absolute, as this request reached Parley)
   * @param expiresAt when the link stops working
   */
  record LinkResponse(URI url, Instant expiresAt) {}

  @PostMapping("/link")
  @PreAuthorize("hasRole('VIEWER')")
  @Operation(
      summary =
          "A signed URL for the call's recording that an <audio> element can play for 5 minutes"
              + " (playback role, default SUPERVISOR; audited; 404 without a recording)")
  ResponseEntity<LinkResponse> link(@PathVariable UUID id) {
    requirePlaybackRole();
    RecordingLinks.Link link = playback.issue(Organisations.DEFAULT_ID, id, Actor.current());
    URI url =
        URI.create(
            ServletUriComponentsBuilder.fromCurrentContextPath()
                    .path("/api/calls/{id}/recording/audio")
                    .buildAndExpand(id)
                    .toUriString()
                + "?"
                + link.query());
    HttpHeaders headers = new HttpHeaders();
    Tickets.noStore(headers);
    return ResponseEntity.status(HttpStatus.CREATED)
        .headers(headers)
        .body(new LinkResponse(url, link.expiresAt()));
  }

  @GetMapping("/audio")
  @Operation(
      summary =
          "The recording's audio through a signed link (no bearer): Range supported (206, 416),"
              + " 403 for an expired or forged link, 404 without a recording; each request audited")
  void audio(
      @PathVariable UUID id,
      @RequestParam(required = false) String expires,
      @RequestParam(required = false) String user,
      @RequestParam(required = false) String tv,
      @RequestParam(required = false) String sig,
      @RequestHeader(name = HttpHeaders.RANGE, required = false) String range,
      HttpServletResponse response)
      throws IOException {
    Recording recording =
        playback.admit(
            Organisations.DEFAULT_ID,
            id,
            new RecordingPlayback.LinkParams(expires, user, tv, sig),
            range);
    response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
    response.setHeader("Referrer-Policy", "no-referrer");
    response.setHeader(HttpHeaders.ACCEPT_RANGES, "bytes");
    Optional<RecordingCipher.Reader> local = openLocal(id);
    if (local.isPresent()) {
      try (RecordingCipher.Reader copy = local.get()) {
        sendLocal(id, copy, range, response);
      }
      return;
    }
    if (range != null && !oneByteRange(range)) {
      unsatisfiable(recording, response);
      return;
    }
    RecordingAudio.Media media = audio.open(recording.sid(), range);
    try (InputStream body = media.body()) {
      response.setStatus(media.status());
      if (media.contentRange() != null) {
        response.setHeader(HttpHeaders.CONTENT_RANGE, media.contentRange());
      }
      if (media.status() == HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE.value()) {
        response.setContentLength(0);
        return;
      }
      response.setContentType(RecordingAudio.CONTENT_TYPE);
      if (media.contentLength() >= 0) {
        response.setContentLengthLong(media.contentLength());
      }
      OutputStream out = response.getOutputStream();
      try {
        body.transferTo(out);
        out.flush();
      } catch (IOException e) {
        // A player that seeks drops the request it no longer needs: not a failure.
        log.debug("Recording of call {} not sent whole: {}", id, e.toString());
      }
    }
  }

  @DeleteMapping
  @PreAuthorize("hasRole('ADMIN')")
  @Operation(
      summary =
          "Deletes the call's recording at Twilio and Parley's local copy (ADMIN, audited); 404"
              + " without a recording, 502/503 when Twilio cannot confirm (nothing changes then)")
  ResponseEntity<Void> delete(@PathVariable UUID id) {
    browsing.deleteRecording(id, Actor.current());
    return ResponseEntity.noContent().build();
  }

  private Optional<RecordingCipher.Reader> openLocal(UUID id) throws IOException {
    try {
      return store.open(id);
    } catch (GeneralSecurityException e) {
      // A copy that does not decrypt (another key, or altered): Twilio's copy may still serve.
      log.error("The local copy of call {}'s recording cannot be read: {}", id, e.getMessage());
      return Optional.empty();
    }
  }

  /** Serves Parley's own copy, decrypting only the segments the range asked for touches. */
  private static void sendLocal(
      UUID id, RecordingCipher.Reader copy, String range, HttpServletResponse response)
      throws IOException {
    long length = copy.length();
    long from = 0;
    long to = length - 1;
    if (range != null) {
      Matcher m = RANGE.matcher(range.strip());
      long[] asked = m.matches() ? bounds(m, length) : null;
      if (asked == null) {
        response.setStatus(HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE.value());
        response.setHeader(HttpHeaders.CONTENT_RANGE, "bytes */" + length);
        response.setContentLength(0);
        return;
      }
      from = asked[0];
      to = asked[1];
      response.setStatus(HttpStatus.PARTIAL_CONTENT.value());
      response.setHeader(HttpHeaders.CONTENT_RANGE, "bytes " + from + "-" + to + "/" + length);
    } else {
      response.setStatus(HttpStatus.OK.value());
    }
    response.setContentType(RecordingAudio.CONTENT_TYPE);
    response.setContentLengthLong(length == 0 ? 0 : to - from + 1);
    if (length == 0) {
      return;
    }
    OutputStream out = response.getOutputStream();
    try (InputStream body = copy.range(from, to)) {
      body.transferTo(out);
      out.flush();
    } catch (IOException e) {
      log.debug("Recording of call {} not sent whole: {}", id, e.toString());
    }
  }

  /**
   * The first and last byte a matched range names within {@code length} bytes (an end past the last
   * byte is cut to it, as RFC 9110 says); null when it is not satisfiable.
   */
  private static long[] bounds(Matcher m, long length) {
    if (m.group(3) != null) {
      long suffix = Long.parseLong(m.group(3));
      return suffix == 0 || length == 0
          ? null
          : new long[] {Math.max(0, length - suffix), length - 1};
    }
    long first = Long.parseLong(m.group(1));
    long last = m.group(2).isEmpty() ? length - 1 : Long.parseLong(m.group(2));
    if (first >= length || last < first) {
      return null;
    }
    return new long[] {first, Math.min(last, length - 1)};
  }

  /**
   * A Range header that is not one satisfiable-looking byte range (several ranges, another unit,
   * garbage, an end before its start): 416 with the file's length, which is asked of Twilio.
   */
  private void unsatisfiable(Recording recording, HttpServletResponse response) throws IOException {
    RecordingAudio.Media whole = audio.open(recording.sid(), null);
    try (InputStream ignored = whole.body()) {
      response.setStatus(HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE.value());
      response.setHeader(
          HttpHeaders.CONTENT_RANGE,
          "bytes */" + (whole.contentLength() >= 0 ? whole.contentLength() : "*"));
      response.setContentLength(0);
    }
  }

  static boolean oneByteRange(String range) {
    Matcher m = RANGE.matcher(range.strip());
    if (!m.matches()) {
      return false;
    }
    if (m.group(3) != null) {
      return Long.parseLong(m.group(3)) > 0;
    }
    return m.group(2).isEmpty() || Long.parseLong(m.group(2)) >= Long.parseLong(m.group(1));
  }

  /** The configured playback role or one above it; 403 problem otherwise. */
  private void requirePlaybackRole() {
    Authentication auth = SecurityContextHolder.getContext().getAuthentication();
    boolean allowed =
        auth != null
            && roles.getReachableGrantedAuthorities(auth.getAuthorities()).stream()
                .map(GrantedAuthority::getAuthority)
                .anyMatch(settings.authority()::equals);
    if (!allowed) {
      throw new AccessDeniedException(
          "Listening to recordings needs the " + settings.playbackRole() + " role");
    }
  }
}
