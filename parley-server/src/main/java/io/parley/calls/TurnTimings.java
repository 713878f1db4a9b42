package io.parley.calls;

import java.time.Instant;

/**
 * When one turn reached each stage of the pipeline; null where it never did (a turn cut short by
 * barge-in, or the agent's opening turn, which has no caller speech).
 */
public record TurnTimings(
    Instant callerSpeechEnd,
    Instant sttFinal,
    Instant llmRequest,
    Instant llmFirstToken,
    Instant firstSpeakableChunk,
    Instant firstTtsAudio,
    Instant firstFrameSent,
    boolean interrupted) {}
