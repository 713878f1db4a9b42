package io.parley.calls;

import java.time.Instant;

/** A stored transcript segment, as the history API shows it. */
public record TranscriptSegment(
    int seq,
    SegmentRole role,
    String text,
    Long startMs,
    Long endMs,
    boolean interrupted,
    Instant createdAt) {}
