package io.parley.sim.caller;

import io.parley.sim.audio.Speech;
import java.util.Arrays;
import java.util.List;

/**
 * Plays a {@link CallerScript} one 20 ms frame at a time: decides on each tick whether the caller
 * speaks (and which bytes), presses keys or hangs up, watching what the agent's audio does.
 */
final class ScriptPlayer {
  private static final int FRAME = 160;

  /**
   * What to send on this tick: audio (null for line noise), DTMF digits, and whether to hang up.
   */
  record Tick(byte[] audio, List<String> digits, boolean hangUp) {
    static final Tick QUIET = new Tick(null, List.of(), false);
  }

  private final List<CallerScript.Step> steps;
  private final StreamSession session;
  private int index;
  private long stepStart;
  private byte[] speaking;
  private int speakingAt;
  private boolean beeping;

  ScriptPlayer(CallerScript script, StreamSession session, long now) {
    this.steps = script.steps();
    this.session = session;
    this.stepStart = now;
  }

  Tick tick(long now) {
    if (speaking != null) {
      return nextFrame(now);
    }
    if (index >= steps.size()) {
      return Tick.QUIET;
    }
    CallerScript.Step step = steps.get(index);
    switch (step) {
      case CallerScript.Say say -> {
        if (due(say.when(), now)) {
          Speech.Utterance u = session.synthesize(say.text());
          session.said(now, u);
          speaking = u.audio();
          speakingAt = 0;
          return nextFrame(now);
        }
        return Tick.QUIET;
      }
      case CallerScript.Silence silence -> {
        if (now - stepStart >= silence.duration().toMillis()) {
          next(now);
          return tick(now);
        }
        return Tick.QUIET;
      }
      case CallerScript.Dtmf dtmf -> {
        next(now);
        return new Tick(
            null, Arrays.stream(dtmf.digits().split("")).filter(d -> !d.isEmpty()).toList(), false);
      }
      case CallerScript.Beep beep -> {
        speaking = tone(beep.duration());
        speakingAt = 0;
        beeping = true;
        return nextFrame(now);
      }
      case CallerScript.Hangup hangup -> {
        if (now - stepStart >= hangup.after().toMillis()) {
          next(now);
          return new Tick(null, List.of(), true);
        }
        return Tick.QUIET;
      }
    }
  }

  private boolean due(CallerScript.When when, long now) {
    return switch (when) {
      case CallerScript.Now n -> true;
      case CallerScript.OnCue cue -> cue.cue().getCount() == 0;
      case CallerScript.AgentStops stops -> {
        if (now - stepStart >= stops.maxWait().toMillis()) {
          yield true;
        }
        long end = session.agentSpeechEnd(stepStart);
        yield end >= 0 && !session.agentTalking(now) && now >= end + stops.quiet().toMillis();
      }
      case CallerScript.IntoAgentReply barge -> {
        if (now - stepStart >= barge.maxWait().toMillis()) {
          yield true;
        }
        long started = session.agentStartedAfter(stepStart);
        yield started >= 0 && now >= started + barge.delay().toMillis();
      }
    };
  }

  private Tick nextFrame(long now) {
    byte[] frame = Arrays.copyOf(session.noiseFrame(), FRAME);
    int n = Math.min(FRAME, speaking.length - speakingAt);
    System.arraycopy(speaking, speakingAt, frame, 0, n);
    speakingAt += n;
    if (speakingAt >= speaking.length) {
      speaking = null;
      if (beeping) {
        beeping = false;
        session.beeped(now + 20);
      }
      next(now + 20);
    }
    return new Tick(frame, List.of(), false);
  }

  /** A 1 kHz tone, μ-law at 8 kHz, a whole number of frames long. */
  private static byte[] tone(java.time.Duration duration) {
    int frames = (int) Math.max(1, duration.toMillis() / 20);
    byte[] out = new byte[frames * FRAME];
    for (int i = 0; i < out.length; i++) {
      out[i] = io.parley.sim.audio.Mulaw.encode((int) (8000 * Math.sin(2 * Math.PI * i / 8.0)));
    }
    return out;
  }

  private void next(long now) {
    index++;
    stepStart = now;
  }
}
