package io.parley.calls;

import static io.parley.calls.CallRepository.instant;
import static io.parley.calls.CallRepository.longValue;
import static io.parley.calls.CallRepository.timestamp;

import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

/** The rows a call accumulates: transcript segments, tool invocations and turns. */
@Repository
class CallPartsRepository {

  private final JdbcClient jdbc;
  private final JsonMapper json;

  CallPartsRepository(JdbcClient jdbc, JsonMapper json) {
    this.jdbc = jdbc;
    this.json = json;
  }

  void insertSegment(UUID callId, UUID organisationId, int seq, NewSegment s, Instant now) {
    jdbc.sql(
            "INSERT INTO transcript_segment (call_id, seq, organisation_id, role, text, start_ms,"
                + " end_ms, interrupted, created_at)"
                + " VALUES (:call, :seq, :org, :role, :text, :start, :end, :interrupted, :now)")
        .param("call", callId)
        .param("seq", seq)
        .param("org", organisationId)
        .param("role", s.role().wire())
        .param("text", s.text())
        .param("start", s.startMs(), Types.BIGINT)
        .param("end", s.endMs(), Types.BIGINT)
        .param("interrupted", s.interrupted())
        .param("now", Timestamp.from(now))
        .update();
  }

  void insertToolInvocation(UUID callId, UUID organisationId, int seq, NewToolInvocation t) {
    jdbc.sql(
            "INSERT INTO call_tool_invocation (id, call_id, seq, organisation_id, tool_name,"
                + " tool_call_id, arguments, result, status, started_at, duration_ms)"
                + " VALUES (:id, :call, :seq, :org, :name, :toolCallId, :arguments, :result,"
                + " :status, :started, :duration)")
        .param("id", UUID.randomUUID())
        .param("call", callId)
        .param("seq", seq)
        .param("org", organisationId)
        .param("name", t.toolName())
        .param("toolCallId", t.toolCallId(), Types.VARCHAR)
        .param("arguments", t.argumentsJson())
        .param("result", t.resultJson(), Types.VARCHAR)
        .param("status", t.status().wire())
        .param("started", Timestamp.from(t.startedAt()))
        .param("duration", t.durationMs(), Types.BIGINT)
        .update();
  }

  void insertTurn(UUID callId, UUID organisationId, int number, TurnTimings t) {
    jdbc.sql(
            "INSERT INTO call_turn (call_id, turn_number, organisation_id, caller_speech_end,"
                + " stt_final, llm_request, llm_first_token, first_speakable_chunk,"
                + " first_tts_audio, first_frame_sent, interrupted)"
                + " VALUES (:call, :turn, :org, :speechEnd, :sttFinal, :llmRequest,"
                + " :firstToken, :firstChunk, :firstAudio, :firstFrame, :interrupted)")
        .param("call", callId)
        .param("turn", number)
        .param("org", organisationId)
        .param("speechEnd", timestamp(t.callerSpeechEnd()), Types.TIMESTAMP)
        .param("sttFinal", timestamp(t.sttFinal()), Types.TIMESTAMP)
        .param("llmRequest", timestamp(t.llmRequest()), Types.TIMESTAMP)
        .param("firstToken", timestamp(t.llmFirstToken()), Types.TIMESTAMP)
        .param("firstChunk", timestamp(t.firstSpeakableChunk()), Types.TIMESTAMP)
        .param("firstAudio", timestamp(t.firstTtsAudio()), Types.TIMESTAMP)
        .param("firstFrame", timestamp(t.firstFrameSent()), Types.TIMESTAMP)
        .param("interrupted", t.interrupted())
        .update();
  }

  List<TranscriptSegment> segments(UUID callId) {
    return jdbc.sql(
            "SELECT seq, role, text, start_ms, end_ms, interrupted, created_at"
                + " FROM transcript_segment WHERE call_id = :call ORDER BY seq")
        .param("call", callId)
        .query(
            (rs, row) ->
                new TranscriptSegment(
                    rs.getInt("seq"),
                    SegmentRole.of(rs.getString("role")),
                    rs.getString("text"),
                    longValue(rs, "start_ms"),
                    longValue(rs, "end_ms"),
                    rs.getBoolean("interrupted"),
                    instant(rs, "created_at")))
        .list();
  }

  List<ToolInvocation> toolInvocations(UUID callId) {
    return jdbc.sql(
            "SELECT id, seq, tool_name, tool_call_id, arguments, result, status, started_at,"
                + " duration_ms FROM call_tool_invocation WHERE call_id = :call ORDER BY seq")
        .param("call", callId)
        .query(
            (rs, row) -> {
              String result = rs.getString("result");
              return new ToolInvocation(
                  UUID.fromString(rs.getString("id")),
                  rs.getInt("seq"),
                  rs.getString("tool_name"),
                  rs.getString("tool_call_id"),
                  json.readTree(rs.getString("arguments")),
                  result == null ? null : json.readTree(result),
                  ToolStatus.of(rs.getString("status")),
                  instant(rs, "started_at"),
                  longValue(rs, "duration_ms"));
            })
        .list();
  }

  List<Turn> turns(UUID callId) {
    return jdbc.sql(
            "SELECT turn_number, caller_speech_end, stt_final, llm_request, llm_first_token,"
                + " first_speakable_chunk, first_tts_audio, first_frame_sent, interrupted"
                + " FROM call_turn WHERE call_id = :call ORDER BY turn_number")
        .param("call", callId)
        .query(
            (rs, row) ->
                Turn.of(
                    rs.getInt("turn_number"),
                    new TurnTimings(
                        instant(rs, "caller_speech_end"),
                        instant(rs, "stt_final"),
                        instant(rs, "llm_request"),
                        instant(rs, "llm_first_token"),
                        instant(rs, "first_speakable_chunk"),
                        instant(rs, "first_tts_audio"),
                        instant(rs, "first_frame_sent"),
                        rs.getBoolean("interrupted"))))
        .list();
  }
}
