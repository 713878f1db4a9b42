package io.parley.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChunkReaderTest {

  /** Records what the reader passes on, one line per call. */
  private static final class Recorded implements ChunkReader.Sink {
    final List<String> seen = new ArrayList<>();

    @Override
    public void usage(long promptTokens, long completionTokens) {
      seen.add("usage " + promptTokens + "/" + completionTokens);
    }

    @Override
    public void text(String text) {
      seen.add("text " + text);
    }

    @Override
    public void toolCall(int index, String id, String name, String arguments) {
      seen.add("tool " + index + " " + id + " " + name + " " + arguments);
    }

    @Override
    public void finish(String reason) {
      seen.add("finish " + reason);
    }
  }

  private static List<String> read(String sse) {
    Recorded sink = new Recorded();
    ChunkReader.read(new ByteArrayInputStream(sse.getBytes(StandardCharsets.UTF_8)), sink);
    return sink.seen;
  }

  private static String chunk(String choices) {
    return "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,"
        + "\"model\":\"grok\",\"choices\":"
        + choices
        + "}\n\n";
  }

  @Test
  void passesOnTextFinishAndUsageInOrderAndStopsAtDone() {
    String sse =
        ": keep-alive\n\n"
            + chunk("[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}]")
            + chunk("[{\"index\":0,\"delta\":{\"content\":\"Hello, \"},\"finish_reason\":null}]")
            + chunk("[{\"delta\":{\"content\":\"wörld \\\"quoted\\\" \\u00e9\"},\"index\":0}]")
            + chunk("[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]")
            + "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":5,"
            + "\"total_tokens\":17,\"prompt_tokens_details\":{\"cached_tokens\":0}}}\n\n"
            + "data: [DONE]\n\n"
            + chunk("[{\"index\":0,\"delta\":{\"content\":\"after done\"}}]");
    assertThat(read(sse))
        .containsExactly("text Hello, ", "text wörld \"quoted\" é", "finish stop", "usage 12/5");
  }

  @Test
  void passesOnToolCallFragmentsWhicheverOrderTheFieldsCome() {
    String sse =
        chunk(
                "[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"call_1\","
                    + "\"type\":\"function\",\"function\":{\"name\":\"opt_out\",\"arguments\":\"\"}}]}}]")
            + chunk(
                "[{\"delta\":{\"tool_calls\":[{\"function\":{\"arguments\":\"{\\\"a\\\":\"},"
                    + "\"index\":0}]},\"index\":0}]")
            + chunk(
                "[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":1,\"id\":\"call_2\","
                    + "\"function\":{\"name\":\"hang_up\",\"arguments\":\"{}\"}}]},"
                    + "\"finish_reason\":\"tool_calls\"}]");
    assertThat(read(sse))
        .containsExactly(
            "tool 0 call_1 opt_out ",
            "tool 0 null null {\"a\":",
            "tool 1 call_2 hang_up {}",
            "finish tool_calls");
  }

  @Test
  void onlyTheFirstChoiceCounts() {
    String sse =
        chunk(
            "[{\"index\":1,\"delta\":{\"content\":\"other\"}},"
                + "{\"index\":0,\"delta\":{\"content\":\"mine\"}}]");
    assertThat(read(sse)).containsExactly("text mine");
  }

  @Test
  void joinsMultiLineDataAndAcceptsDataWithoutASpaceAndCrLf() {
    String sse =
        "data:{\"choices\":[{\"index\":0,\r\n"
            + "data: \"delta\":{\"content\":\"joined\"}}]}\r\n\r\n"
            + "data:[DONE]\r\n\r\n";
    assertThat(read(sse)).containsExactly("text joined");
  }

  @Test
  void aStreamThatEndsWithoutABlankLineStillDeliversItsLastEvent() {
    assertThat(read("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"last\"}}]}"))
        .containsExactly("text last");
  }

  @Test
  void anErrorInTheStreamIsAStreamErrorWithItsBody() {
    assertThatThrownBy(
            () ->
                read(
                    chunk("[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}]")
                        + "data: {\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\"}}\n\n"))
        .isInstanceOfSatisfying(
            ChunkReader.StreamError.class, e -> assertThat(e.body()).contains("overloaded"));
    assertThatThrownBy(() -> read("event: error\ndata: {\"message\":\"bad\"}\n\n"))
        .isInstanceOf(ChunkReader.StreamError.class);
  }

  @Test
  void dataThatIsNotAJsonObjectIsAStreamError() {
    assertThatThrownBy(() -> read("data: {\"choices\":[{\"index\":0,\n\n"))
        .isInstanceOf(ChunkReader.StreamError.class);
    assertThatThrownBy(() -> read("data: 42\n\n")).isInstanceOf(ChunkReader.StreamError.class);
  }

  @Test
  void aReadFailureKeepsItsCauseSoATimeoutIsStillATimeout() {
    InputStream timingOut =
        new InputStream() {
          @Override
          public int read() throws IOException {
            throw new SocketTimeoutException("timeout");
          }

          @Override
          public int read(byte[] b, int off, int len) throws IOException {
            throw new SocketTimeoutException("timeout");
          }
        };
    assertThatThrownBy(() -> ChunkReader.read(timingOut, new Recorded()))
        .isInstanceOf(UncheckedIOException.class)
        .hasCauseInstanceOf(SocketTimeoutException.class);
  }
}
