package io.parley.playground;

import jakarta.servlet.http.HttpServletResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The playground for other modules' pages (the web console): the sessions, checks and reply stream
 * of the REST API, for the signed-in user the caller names. Who may call it is the caller's to
 * enforce (the API and the console both require OPERATOR).
 */
@Component
public class Playground {

  /** What a page shows of a session. */
  public record Session(
      UUID id,
      UUID agentId,
      UUID promptId,
      int promptVersion,
      String provider,
      String model,
      Map<String, String> variables,
      List<String> tools,
      List<Line> transcript,
      String endedOutcome) {}

  /**
   * One transcript line: {@code user}, {@code assistant}, or {@code tool} (its name, and the text
   * of what a call would have done).
   */
  public record Line(String role, String text, String tool) {}

  private final PlaygroundService service;
  private final JsonMapper json;

  Playground(PlaygroundService service, JsonMapper json) {
    this.service = service;
    this.json = json;
  }

  /**
   * Starts a session from an agent, or from a prompt and a model (as {@code POST
   * /api/playground/sessions}); errors name {@code agentId}, {@code promptId}, {@code model}, …
   */
  public Session create(
      UUID ownerId,
      String agentId,
      String promptId,
      Integer promptVersion,
      String provider,
      String model,
      Map<String, String> variables) {
    return view(
        service.create(
            ownerId,
            new CreateSessionRequest(
                agentId,
                promptId,
                promptVersion,
                provider,
                model,
                null,
                new LinkedHashMap<>(variables))));
  }

  /** The owner's session; NotFoundException for anyone else's or an expired one. */
  public Session find(UUID ownerId, UUID sessionId) {
    return view(service.find(ownerId, sessionId));
  }

  /** Accepts the next message; {@link #reply} then streams the answer. */
  public void send(UUID ownerId, UUID sessionId, String text) {
    service.send(ownerId, sessionId, text);
  }

  /**
   * Streams the reply to the waiting message into the response as server-sent events, exactly as
   * the API does ({@code delta}, {@code tool}, {@code ended}, {@code done}, {@code error}).
   */
  public void reply(UUID ownerId, UUID sessionId, HttpServletResponse response) {
    service.reply(ownerId, sessionId, new SseSink(response, json));
  }

  public void delete(UUID ownerId, UUID sessionId) {
    service.delete(ownerId, sessionId);
  }

  private Session view(PlaygroundSession session) {
    List<Line> lines =
        session.transcript().stream()
            .map(
                entry ->
                    switch (entry) {
                      case TranscriptEntry.User user -> new Line("user", user.text(), null);
                      case TranscriptEntry.Assistant answer ->
                          new Line("assistant", answer.text(), null);
                      case TranscriptEntry.Tool tool ->
                          new Line("tool", tool.dryRun(), tool.name());
                    })
            .filter(line -> !line.role().equals("assistant") || !line.text().isBlank())
            .toList();
    return new Session(
        session.id(),
        session.agentId(),
        session.promptId(),
        session.promptVersion(),
        session.provider(),
        session.model(),
        session.variables(),
        service.toolNames(session),
        lines,
        session.ended() == null ? null : session.ended().outcome());
  }
}
