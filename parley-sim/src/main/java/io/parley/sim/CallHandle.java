package io.parley.sim;

import io.parley.sim.caller.CallMedia;
import io.parley.sim.twilio.SimCall;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A simulated call as a test or an operator sees it: its status, every frame the server sent with
 * its arrival time, the marks and clears, and what the caller heard and said.
 */
public final class CallHandle {
  private final SimCall call;
  private final CallMedia media;
  private final SimClock clock;

  CallHandle(SimCall call, CallMedia media, SimClock clock) {
    this.call = call;
    this.media = media;
    this.clock = clock;
  }

  public String sid() {
    return call.sid();
  }

  /** Twilio's call status: queued, ringing, in-progress, completed, busy, failed, no-answer... */
  public String status() {
    return call.status();
  }

  public String answeredBy() {
    return call.answeredBy();
  }

  /** Waits until the call has ended (and its final callbacks were sent). */
  public boolean awaitEnd(Duration timeout) throws InterruptedException {
    return call.awaitEnd(timeout);
  }

  /** The caller hangs up now. */
  public void hangUp() {
    call.hangUpByCaller();
  }

  /** Media messages the server sent, with their arrival time on the sim clock. */
  public List<CallMedia.Received> received() {
    return media.received();
  }

  /** Marks the server sent, with when they were echoed (and whether by a clear). */
  public List<CallMedia.Mark> marks() {
    return media.marks();
  }

  /** Times (sim clock) at which the server sent {@code clear}. */
  public List<Long> clears() {
    return media.clears();
  }

  /** The words of the agent's speech that played in full, in order. */
  /** The agent's words heard in audio that started at or after {@code fromMillis} (sim clock). */
  public String heardTextSince(long fromMillis) {
    return media.heardText(fromMillis * 1000, clock.nowMillis() * 1000);
  }

  /**
   * The agent's audio (μ-law) that started playing at or after {@code fromMillis} (sim clock), as
   * heard by now, in play order: what an answering machine recorded after its beep.
   */
  public byte[] heardAudioSince(long fromMillis) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    media.heardAudio(fromMillis * 1000, clock.nowMillis() * 1000).forEach(out::writeBytes);
    return out.toByteArray();
  }

  public String heardText() {
    return media.heardText(clock.nowMillis() * 1000);
  }

  /** What the caller said, with when it started. */
  public List<CallMedia.Said> said() {
    return media.said();
  }

  public List<String> dtmfSent() {
    return media.dtmfSent();
  }

  /** The stream's {@code <Parameter>}s as delivered in {@code start.customParameters}. */
  public Map<String, String> customParameters() {
    return media.customParameters();
  }

  public List<String> streamSids() {
    return media.streamSids();
  }

  /** {@code <Dial>} targets: where the call was transferred. */
  public List<String> dialed() {
    return call.dialed();
  }

  /** Problems Twilio would report for this call, e.g. a WAV header in outbound media. */
  public List<String> errors() {
    return call.errors();
  }

  public CallMedia media() {
    return media;
  }
}
