package io.parley.console.calls;

import io.parley.calls.CallDetails;
import io.parley.calls.ToolInvocation;
import io.parley.calls.TranscriptSegment;
import io.parley.calls.Turn;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;

/** One call as its page shows it, built from the API's {@link CallDetails}. */
public record CallView(
    String id,
    List<Fact> facts,
    boolean hasRecording,
    String recordingDeletedAt,
    boolean legalHold,
    String legalHoldReason,
    String transcriptPurgedAt,
    List<Line> transcript,
    List<Tool> tools,
    List<TurnBars> turns,
    Analysis analysis) {

  /** A labelled fact of the call's summary. */
  public record Fact(String label, String value) {}

  /**
   * A transcript line; {@code startSeconds} is where the player seeks (null without a time), {@code
   * endSeconds} where the line stops being the current one.
   */
  public record Line(
      int seq,
      String role,
      String text,
      String at,
      Double startSeconds,
      Double endSeconds,
      boolean interrupted) {}

  /** A tool invocation with its JSON written out. */
  public record Tool(
      int seq,
      String name,
      String status,
      String started,
      String duration,
      String arguments,
      String result) {}

  /**
   * One turn's latencies (ms, null when a stage is missing) and where each stage's bar sits on a
   * 0–1000 axis shared by every turn (x and width, for the SVG: no inline style under the CSP).
   */
  public record TurnBars(
      int turn,
      Long sttMs,
      Long modelMs,
      Long voiceMs,
      Long voiceToVoiceMs,
      boolean interrupted,
      List<Bar> bars,
      String summary) {}

  /** A stage's bar: {@code kind} stt, model or voice. */
  public record Bar(String kind, long x, long width) {}

  public record Analysis(
      String status,
      String summary,
      String category,
      String sentiment,
      String fields,
      String error,
      String model,
      String tokens,
      String analyzedAt) {}

  static CallView of(CallDetails c) {
    List<Fact> facts = new ArrayList<>();
    fact(facts, "Status", c.status() == null ? null : c.status().wire());
    fact(
        facts,
        "Outcome",
        c.outcome() == null
            ? null
            : c.outcome().wire()
                + (c.outcomeReason() == null ? "" : " (" + c.outcomeReason() + ")"));
    fact(facts, "Direction", c.direction() == null ? null : c.direction().wire());
    fact(facts, "From", c.from());
    fact(facts, "To", c.to());
    fact(facts, "Agent", c.agentName());
    fact(facts, "Prompt version", c.promptVersion() == null ? null : "v" + c.promptVersion());
    fact(facts, "Answered by", c.answeredBy());
    fact(facts, "Created (UTC)", Formats.time(c.createdAt()));
    fact(facts, "Answered (UTC)", Formats.time(c.answeredAt()));
    fact(facts, "Ended (UTC)", Formats.time(c.endedAt()));
    fact(facts, "Duration", Formats.duration(c.durationSeconds()));
    fact(facts, "Campaign", c.campaignId() == null ? null : c.campaignId().toString());
    fact(facts, "Twilio CallSid", c.twilioCallSid());
    if (c.abandoned()) {
      fact(facts, "Abandoned", "yes (counted as a drop)");
    }
    CallDetails.Kept kept = c.retention();
    return new CallView(
        c.id().toString(),
        facts,
        c.recording() != null,
        kept == null ? null : blank(Formats.time(kept.recordingDeletedAt())),
        kept != null && kept.legalHold(),
        kept == null ? null : kept.legalHoldReason(),
        kept == null ? null : blank(Formats.time(kept.transcriptPurgedAt())),
        lines(c.transcript()),
        c.toolInvocations().stream().map(CallView::tool).toList(),
        turns(c.turns()),
        analysis(c.analysis()));
  }

  private static List<Line> lines(List<TranscriptSegment> segments) {
    List<Line> lines = new ArrayList<>();
    for (int i = 0; i < segments.size(); i++) {
      TranscriptSegment s = segments.get(i);
      Long end = s.endMs();
      if (end == null) {
        // An agent's line has a start only: it is current until the next line starts.
        end =
            segments.stream()
                .skip(i + 1)
                .map(TranscriptSegment::startMs)
                .filter(Objects::nonNull)
                .findFirst()
                .orElse(null);
      }
      lines.add(
          new Line(
              s.seq(),
              s.role().wire(),
              s.text(),
              s.startMs() == null ? "" : Formats.clock(s.startMs()),
              s.startMs() == null ? null : s.startMs() / 1000.0,
              end == null ? null : end / 1000.0,
              s.interrupted()));
    }
    return lines;
  }

  private static Tool tool(ToolInvocation t) {
    return new Tool(
        t.seq(),
        t.toolName(),
        t.status() == null ? "" : t.status().wire(),
        Formats.time(t.startedAt()),
        t.durationMs() == null ? "" : t.durationMs() + " ms",
        json(t.arguments()),
        json(t.result()));
  }

  private static List<TurnBars> turns(List<Turn> turns) {
    long longest = turns.stream().mapToLong(t -> span(t, origin(t), last(t))).max().orElse(0);
    double scale = longest <= 0 ? 0 : 1000.0 / longest;
    return turns.stream()
        .map(
            t -> {
              Instant origin = origin(t);
              Long stt = between(t.callerSpeechEnd(), t.sttFinal());
              List<Bar> bars = new ArrayList<>();
              bar(bars, "stt", origin, t.callerSpeechEnd(), t.sttFinal(), scale);
              bar(bars, "model", origin, t.llmRequest(), t.llmFirstToken(), scale);
              bar(bars, "voice", origin, t.firstSpeakableChunk(), t.firstTtsAudio(), scale);
              String summary =
                  "Turn %d: speech to text %s, model %s, voice %s, voice to voice %s"
                      .formatted(
                          t.turn(),
                          ms(stt),
                          ms(t.llmFirstTokenMs()),
                          ms(t.ttsFirstAudioMs()),
                          ms(t.voiceToVoiceMs()));
              return new TurnBars(
                  t.turn(),
                  stt,
                  t.llmFirstTokenMs(),
                  t.ttsFirstAudioMs(),
                  t.voiceToVoiceMs(),
                  t.interrupted(),
                  bars,
                  summary);
            })
        .toList();
  }

  /** Where a turn's axis starts: the caller's end of speech, or the first stage it has. */
  private static Instant origin(Turn t) {
    return Stream.of(
            t.callerSpeechEnd(),
            t.sttFinal(),
            t.llmRequest(),
            t.llmFirstToken(),
            t.firstSpeakableChunk(),
            t.firstTtsAudio(),
            t.firstFrameSent())
        .filter(Objects::nonNull)
        .findFirst()
        .orElse(null);
  }

  private static Instant last(Turn t) {
    return Stream.of(
            t.callerSpeechEnd(),
            t.sttFinal(),
            t.llmRequest(),
            t.llmFirstToken(),
            t.firstSpeakableChunk(),
            t.firstTtsAudio(),
            t.firstFrameSent())
        .filter(Objects::nonNull)
        .max(Instant::compareTo)
        .orElse(null);
  }

  private static long span(Turn t, Instant from, Instant to) {
    Long ms = between(from, to);
    return ms == null ? 0 : ms;
  }

  private static void bar(
      List<Bar> bars, String kind, Instant origin, Instant from, Instant to, double scale) {
    Long start = between(origin, from);
    Long length = between(from, to);
    if (start != null && length != null && length >= 0) {
      bars.add(new Bar(kind, Math.round(start * scale), Math.max(2, Math.round(length * scale))));
    }
  }

  private static Long between(Instant from, Instant to) {
    return from == null || to == null ? null : Duration.between(from, to).toMillis();
  }

  private static String ms(Long value) {
    return value == null ? "not measured" : value + " ms";
  }

  private static Analysis analysis(CallDetails.AnalysisInfo a) {
    if (a == null) {
      return null;
    }
    return new Analysis(
        a.status() == null ? "" : a.status().wire(),
        a.summary(),
        a.category(),
        a.sentiment(),
        a.fields() == null || a.fields().isNull() ? null : json(a.fields()),
        a.error(),
        a.provider() + " / " + a.model(),
        a.promptTokens() + " in, " + a.completionTokens() + " out",
        Formats.time(a.analyzedAt()));
  }

  private static String json(JsonNode node) {
    return node == null || node.isNull() ? "" : node.toPrettyString();
  }

  private static void fact(List<Fact> facts, String label, String value) {
    if (value != null && !value.isBlank()) {
      facts.add(new Fact(label, value));
    }
  }

  private static String blank(String value) {
    return value == null || value.isEmpty() ? null : value;
  }
}
