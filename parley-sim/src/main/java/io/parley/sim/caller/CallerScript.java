package io.parley.sim.caller;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * What the simulated person on the phone does, step by step. The default step trigger waits for the
 * agent to finish talking, which is how people take turns on a call.
 */
public record CallerScript(List<Step> steps) {

  public CallerScript {
    steps = List.copyOf(steps);
  }

  public static CallerScript silent() {
    return new CallerScript(List.of());
  }

  public static CallerScript of(Step... steps) {
    return new CallerScript(List.of(steps));
  }

  /** When a {@link Say} starts. */
  public sealed interface When {}

  /** Right away, once the previous step is done. */
  public record Now() implements When {}

  /**
   * After the agent has spoken (since the previous step) and then been quiet for {@code quiet}; if
   * the agent says nothing within {@code maxWait}, the caller speaks anyway.
   */
  public record AgentStops(Duration quiet, Duration maxWait) implements When {
    public static AgentStops standard() {
      return new AgentStops(Duration.ofMillis(600), Duration.ofSeconds(10));
    }
  }

  /** {@code delay} into the agent's next reply: a barge-in. */
  public record IntoAgentReply(Duration delay, Duration maxWait) implements When {}

  /**
   * Once {@code cue} has been counted down, by a test that decides when the caller speaks (e.g.
   * after it has restarted a server). Without the cue the caller stays quiet.
   */
  public record OnCue(CountDownLatch cue) implements When {}

  /** One thing the caller does. */
  public sealed interface Step {}

  /** Speaks the words with deterministic synthesized speech the STT simulator can decode. */
  public record Say(String text, When when) implements Step {
    public Say(String text) {
      this(text, AgentStops.standard());
    }
  }

  /** Sends silence (the caller's line stays open with comfort-level audio) for a while. */
  public record Silence(Duration duration) implements Step {}

  /** Presses keys; each digit is a Media Streams {@code dtmf} event. */
  public record Dtmf(String digits) implements Step {}

  /** Hangs up after a delay. */
  public record Hangup(Duration after) implements Step {}

  /**
   * An answering machine's beep (a 1 kHz tone) after its greeting: the machine records from the
   * tone's end ({@link CallMedia#beepEndMillis}), and answering-machine detection that waits for
   * the end of the greeting reports {@code machine_end_beep} then.
   */
  public record Beep(Duration duration) implements Step {}
}
