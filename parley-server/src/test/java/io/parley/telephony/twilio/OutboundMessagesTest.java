package io.parley.telephony.twilio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The ByteBuf messages are the String messages' UTF-8, byte for byte. */
class OutboundMessagesTest {

  private final MediaStreamCodec codec = new MediaStreamCodec();
  private final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;

  private static final List<String> TEXTS =
      List.of(
          "MZ18ad3ab5a668481ce02b83e7395059f0",
          "",
          "reply-7",
          "quote \" and back\\slash",
          "tab\tnew\nline\u0000nul\u001f",
          "é€😀 हिन्दी",
          "lone \uD83D surrogate",
          "\u007f\u0080\u00ff");

  private static byte[] drain(ByteBuf buf) {
    assertThat(buf.refCnt()).isEqualTo(1);
    byte[] bytes = ByteBufUtil.getBytes(buf);
    buf.release();
    return bytes;
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void mediaIsTheStringMessageByteForByte() {
    Random random = new Random(7);
    for (String sid : TEXTS) {
      OutboundMessages out = new OutboundMessages(sid);
      for (int n = 0; n < 500; n++) {
        byte[] audio = new byte[random.nextInt(700)];
        random.nextBytes(audio);
        int offset = audio.length == 0 ? 0 : random.nextInt(audio.length);
        int length = random.nextInt(audio.length - offset + 1);
        assertThat(drain(out.media(alloc, audio, offset, length)))
            .isEqualTo(utf8(codec.media(sid, audio, offset, length)));
      }
      byte[] frame = new byte[160];
      random.nextBytes(frame);
      assertThat(drain(out.media(alloc, frame, 0, 160)))
          .isEqualTo(utf8(codec.media(sid, frame, 0, 160)));
    }
  }

  @Test
  void markAndClearAreTheStringMessagesByteForByte() {
    for (String sid : TEXTS) {
      OutboundMessages out = new OutboundMessages(sid);
      assertThat(drain(out.clear(alloc))).isEqualTo(utf8(codec.clear(sid)));
      for (String name : TEXTS) {
        assertThat(drain(out.mark(alloc, name))).isEqualTo(utf8(codec.mark(sid, name)));
      }
    }
  }

  @Test
  void refusesASliceOutsideTheArray() {
    OutboundMessages out = new OutboundMessages("MZ1");
    assertThatThrownBy(() -> out.media(alloc, new byte[4], 2, 3))
        .isInstanceOf(IndexOutOfBoundsException.class);
  }
}
