package io.parley.conversation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The agent's answer to one caller turn (or its opening words): the model responses it took, the
 * chunks spoken, the stage timestamps, and what to do once it has played. Owned by the call's loop.
 */
final class Reply {

  /** Why the agent is speaking. */
  enum Kind {
    OPENING,
    ANSWER,
    CLOSING
  }

  final Kind kind;
  final List<AssistantTurn> turns = new ArrayList<>();
  final List<SpokenChunk> chunks = new ArrayList<>();

  // Stage timestamps (null until reached).
  Instant callerSpeechEnd;
  Instant sttFinal;
  Instant llmRequest;
  Instant llmFirstToken;
  Instant firstSpeakableChunk;
  Instant firstTtsAudio;
  Instant firstFrameSent;
  long firstTtsAudioNanos;

  boolean modelActive;
  boolean toolsRunning;
  boolean interrupted;
  boolean finished;
  ToolOutcome.EndAction endAction;

  Reply(Kind kind) {
    this.kind = kind;
  }

  /** Everything the reply will say has been said, played or lost. */
  boolean complete() {
    if (modelActive || toolsRunning) {
      return false;
    }
    for (SpokenChunk chunk : chunks) {
      if (!chunk.settled()) {
        return false;
      }
    }
    return true;
  }

  /** What the caller heard of the whole reply, in order. */
  String heardText() {
    StringBuilder out = new StringBuilder();
    for (AssistantTurn turn : turns) {
      String text = turn.text();
      if (!text.isEmpty()) {
        out.append(out.isEmpty() ? "" : " ").append(text);
      }
    }
    return out.toString();
  }

  /** How much of the reply's audio the caller heard, as Twilio's marks confirmed it. */
  int heardBytes() {
    int heard = 0;
    for (SpokenChunk chunk : chunks) {
      heard += chunk.heardBytes;
    }
    return heard;
  }
}
