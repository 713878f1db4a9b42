package io.parley.playground;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.springframework.http.MediaType;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes a reply as server-sent events ({@code event: <name>}, {@code data: <json>}), flushing each
 * so the text appears as the model writes it. The response becomes an event stream only at the
 * first event: a request refused before that (409, 404) still gets its problem document. Once the
 * client has gone, writes stop and {@link #open()} turns false.
 */
final class SseSink implements ReplyRun.Sink {

  private final HttpServletResponse response;
  private final JsonMapper json;
  private OutputStream out;
  private boolean open = true;

  SseSink(HttpServletResponse response, JsonMapper json) {
    this.response = response;
    this.json = json;
  }

  @Override
  public void send(ReplyEvent event) {
    if (!open) {
      return;
    }
    try {
      if (out == null) {
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType(MediaType.TEXT_EVENT_STREAM_VALUE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Accel-Buffering", "no");
        out = response.getOutputStream();
      }
      // JSON never holds a raw line break, so one data line carries the whole event.
      String frame =
          "event: " + event.name() + "\ndata: " + json.writeValueAsString(event) + "\n\n";
      out.write(frame.getBytes(StandardCharsets.UTF_8));
      out.flush();
    } catch (IOException gone) {
      open = false;
    }
  }

  @Override
  public boolean open() {
    return open;
  }
}
