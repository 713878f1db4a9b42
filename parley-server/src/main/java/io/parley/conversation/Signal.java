package io.parley.conversation;

import io.parley.llm.LlmEvent;
import io.parley.stt.SttEvent;
import io.parley.tts.TtsEvent;
import java.util.List;

/**
 * Everything that reaches a call's loop, in the order it arrived. Helper threads (the socket, the
 * speech recogniser, the model stream, the voice, tools) only post signals; the loop alone changes
 * the call's state, so the state needs no locks.
 */
sealed interface Signal {

  /** Twilio echoed a mark: the audio queued before it has played. */
  record MarkPlayed(String name) implements Signal {}

  /** The caller pressed a key. */
  record KeyPressed(String digit) implements Signal {}

  /**
   * Twilio said the stream is over ({@code stop}) or the socket closed; {@code broken} when it
   * closed because the stream could not go on (bad data, protocol error).
   */
  record StreamEnded(String reason, boolean broken) implements Signal {}

  /** A speech-to-text event of the session opened as number {@code session}. */
  record Heard(int session, SttEvent event) implements Signal {}

  /** A model event of the response numbered {@code response}. */
  record Model(int response, LlmEvent event) implements Signal {}

  /**
   * A text-to-speech event, tagged with the voice epoch it was delivered in: events of an epoch
   * older than the current one belong to cancelled speech and are dropped.
   */
  record Voice(long epoch, TtsEvent event) implements Signal {}

  /** The tools the model called in response {@code response} have all finished. */
  record ToolsDone(int response, List<ToolOutcome> outcomes) implements Signal {}

  /** Answering-machine detection decided who answered. */
  record Verdict(String answeredBy, boolean human) implements Signal {}

  /** A helper thread finished something the loop waits for (a hang-up, a redirect) or failed it. */
  record ControlDone(String what, String failure) implements Signal {}
}
