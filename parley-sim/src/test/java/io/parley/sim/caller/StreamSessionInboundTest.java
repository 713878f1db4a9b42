package io.parley.sim.caller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The caller reads the server's messages with a streaming parser: only what it needs. */
class StreamSessionInboundTest {

  private static StreamSession.Inbound parse(String json) {
    return StreamSession.Inbound.parse(
        Unpooled.wrappedBuffer(json.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void readsAMediaMessagesStreamAndDecodedPayload() {
    byte[] audio = {1, 2, 3, (byte) 0xFF};
    StreamSession.Inbound m =
        parse(
            "{\"event\":\"media\",\"streamSid\":\"MZ1\",\"media\":{\"track\":\"outbound\",\"payload\":\""
                + Base64.getEncoder().encodeToString(audio)
                + "\",\"extra\":{\"nested\":[1,2]}}}");
    assertThat(m.event()).isEqualTo("media");
    assertThat(m.streamSid()).isEqualTo("MZ1");
    assertThat(m.payload()).containsExactly(audio);
    assertThat(m.markName()).isNull();
  }

  @Test
  void readsAMarkNameWhateverTheFieldOrder() {
    StreamSession.Inbound m =
        parse(
            "{\"mark\":{\"name\":\"turn-3\"},\"sequenceNumber\":\"9\",\"streamSid\":\"MZ2\","
                + "\"event\":\"mark\"}");
    assertThat(m.event()).isEqualTo("mark");
    assertThat(m.streamSid()).isEqualTo("MZ2");
    assertThat(m.markName()).isEqualTo("turn-3");
  }

  @Test
  void aMessageWithoutEventOrStreamHasEmptyOnes() {
    StreamSession.Inbound m = parse("{\"other\":[{\"event\":\"media\"}],\"streamSid\":7}");
    assertThat(m.event()).isEmpty();
    assertThat(m.streamSid()).isEmpty();
  }

  @Test
  void refusesWhatIsNotAJsonObject() {
    assertThatThrownBy(() -> parse("[\"media\"]")).isInstanceOf(RuntimeException.class);
    assertThatThrownBy(() -> parse("{\"event\":")).isInstanceOf(RuntimeException.class);
  }
}
