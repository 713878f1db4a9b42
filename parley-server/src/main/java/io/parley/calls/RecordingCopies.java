package io.parley.calls;

import io.parley.jobs.Job;
import io.parley.jobs.JobHandler;
import io.parley.jobs.Jobs;
import java.io.InputStream;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;
import tools.jackson.databind.JsonNode;

/**
 * Copies each finished recording from Twilio into the local store ({@code
 * PARLEY_RECORDING_STORE=local}), as a job: scheduled in the transaction that stored the recording,
 * run by any node, retried with the job table's backoff while Twilio cannot be reached. Running it
 * twice is harmless: the copy is rewritten whole and moved into place.
 */
@Component
class RecordingCopies implements JobHandler {

  static final String KIND = "recording.copy";
  private static final Logger log = LoggerFactory.getLogger(RecordingCopies.class);

  private final LocalRecordingStore store;
  private final RecordingAudio twilio;
  private final CallRepository calls;
  private final Jobs jobs;
  private final Clock clock;
  private final CallJson json;

  RecordingCopies(
      LocalRecordingStore store,
      RecordingAudio twilio,
      CallRepository calls,
      Jobs jobs,
      Clock clock,
      CallJson json) {
    this.json = json;
    this.store = store;
    this.twilio = twilio;
    this.calls = calls;
    this.jobs = jobs;
    this.clock = clock;
  }

  /**
   * Schedules the copy of the call's recording, when Parley keeps copies; joins the caller's
   * transaction.
   */
  void scheduleFor(UUID callId) {
    if (store.enabled()) {
      jobs.schedule(KIND, "{\"callId\":\"" + callId + "\"}", clock.instant(), KIND + ":" + callId);
    }
  }

  private UUID callId(String payload) {
    JsonNode id = json.tree(payload).get("callId");
    if (id == null || !id.isString()) {
      throw new IllegalArgumentException("Not a recording copy job: " + payload);
    }
    return UUID.fromString(id.asString());
  }

  @Override
  public String kind() {
    return KIND;
  }

  /** Only a node that keeps copies takes copy jobs. */
  @Override
  public boolean runsHere() {
    return store.enabled();
  }

  @Override
  public void run(Job job) throws Exception {
    UUID callId = callId(job.payload());
    Optional<Recording> recording = calls.find(callId).map(CallRecord::recording);
    if (recording.isEmpty()) {
      return; // deleted meanwhile, or never there
    }
    String sid = recording.get().sid();
    RecordingAudio.Media media;
    try {
      media = twilio.open(sid, null);
    } catch (ErrorResponseException e) {
      if (e.getStatusCode().value() == HttpStatus.NOT_FOUND.value()) {
        log.warn("Recording {} of call {} was gone from Twilio before it was copied", sid, callId);
        return;
      }
      throw e; // 502 or 503: retried with backoff
    }
    long bytes;
    try (InputStream body = media.body()) {
      bytes = store.save(callId, body);
    }
    if (!calls.setRecordingStored(callId, sid, clock.instant())) {
      // The recording was deleted while it was being copied: the copy must not outlive it.
      store.delete(callId);
      return;
    }
    log.info("Recording {} of call {} copied to the local store ({} bytes)", sid, callId, bytes);
  }
}
