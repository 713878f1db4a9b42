package io.parley.telephony.twilio;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The ByteBuf reader against the full parser: for any bytes, the same media frame, the same event
 * or the same {@link MalformedFrameException}.
 */
class InboundMessagesTest {

  private final MediaStreamCodec codec = new MediaStreamCodec();
  private final InboundMessages reader = new InboundMessages(codec);
  private final ByteBufAllocator alloc = UnpooledByteBufAllocator.DEFAULT;

  /** What a sink saw, or what was thrown, comparable with equals. */
  private record MediaSeen(String track, long chunk, long timestampMs, String hex) {}

  private record Thrown(Class<?> type, String message) {}

  private Object fast(byte[] message) {
    ByteBuf buf = Unpooled.wrappedBuffer(new byte[3], message, new byte[2]).skipBytes(3);
    buf.writerIndex(buf.writerIndex() - 2);
    int reader = buf.readerIndex();
    int writer = buf.writerIndex();
    List<Object> seen = new ArrayList<>();
    try {
      this.reader.read(
          buf,
          alloc,
          new InboundMessages.Sink() {
            @Override
            public void media(String track, long chunk, long timestampMs, ByteBuf mulaw) {
              assertThat(mulaw.refCnt()).isEqualTo(1);
              byte[] bytes = new byte[mulaw.readableBytes()];
              mulaw.readBytes(bytes);
              mulaw.release();
              seen.add(new MediaSeen(track, chunk, timestampMs, HexFormat.of().formatHex(bytes)));
            }

            @Override
            public void event(StreamEvent event) {
              assertThat(event).isNotInstanceOf(StreamEvent.Media.class);
              seen.add(event);
            }
          });
    } catch (RuntimeException e) {
      seen.add(new Thrown(e.getClass(), e.getMessage()));
    }
    assertThat(buf.readerIndex()).isEqualTo(reader);
    assertThat(buf.writerIndex()).isEqualTo(writer);
    assertThat(seen).hasSize(1);
    return seen.get(0);
  }

  /** The oracle: bytes that are not UTF-8 are refused as such, the rest is the full parser's. */
  private Object full(byte[] message) {
    try {
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(message));
    } catch (java.nio.charset.CharacterCodingException e) {
      InvalidUtf8Exception refused = new InvalidUtf8Exception();
      return new Thrown(refused.getClass(), refused.getMessage());
    }
    try {
      StreamEvent event = codec.parse(new String(message, StandardCharsets.UTF_8));
      if (event instanceof StreamEvent.Media m) {
        return new MediaSeen(
            m.track(), m.chunk(), m.timestampMs(), HexFormat.of().formatHex(m.payload()));
      }
      return event;
    } catch (RuntimeException e) {
      return new Thrown(e.getClass(), e.getMessage());
    }
  }

  private int fullParsesFor(byte[] message) {
    int before = reader.fullParses;
    fast(message);
    return reader.fullParses - before;
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void readsTwiliosMediaMessageWithoutTheFullParser() {
    byte[] audio = new byte[160];
    new Random(1).nextBytes(audio);
    String payload = Base64.getEncoder().encodeToString(audio);
    byte[] message =
        utf8(
            "{\"event\":\"media\",\"sequenceNumber\":\"1542\",\"media\":{\"track\":\"inbound\","
                + "\"chunk\":\"1540\",\"timestamp\":\"30780\",\"payload\":\""
                + payload
                + "\"},\"streamSid\":\"MZ18ad3ab5a668481ce02b83e7395059f0\"}");
    assertThat(fast(message))
        .isEqualTo(new MediaSeen("inbound", 1540, 30780, HexFormat.of().formatHex(audio)));
    assertThat(fullParsesFor(message)).isZero();
  }

  @Test
  void otherEventsAndMalformedMessagesGetTheFullParsersAnswer() {
    List<String> messages =
        List.of(
            "{\"event\":\"connected\",\"protocol\":\"Call\",\"version\":\"1.0.0\"}",
            "{\"event\":\"start\",\"sequenceNumber\":\"1\",\"start\":{\"accountSid\":\"AC1\","
                + "\"streamSid\":\"MZ1\",\"callSid\":\"CA9\",\"tracks\":[\"inbound\"],"
                + "\"mediaFormat\":{\"encoding\":\"audio/x-mulaw\",\"sampleRate\":8000,"
                + "\"channels\":1},\"customParameters\":{\"token\":\"t-1\"}},\"streamSid\":\"MZ1\"}",
            "{\"event\":\"mark\",\"mark\":{\"name\":\"utt-3\"}}",
            "{\"event\":\"dtmf\",\"dtmf\":{\"track\":\"inbound_track\",\"digit\":\"5\"}}",
            "{\"event\":\"dtmf\",\"dtmf\":{\"digit\":\"E\"}}",
            "{\"event\":\"stop\",\"stop\":{\"accountSid\":\"AC1\",\"callSid\":\"CA9\"}}",
            "{\"event\":\"future\",\"future\":{\"x\":[1,2,{\"y\":3}]}}",
            "not json",
            "[1]",
            "",
            "{}",
            "{\"streamSid\":\"MZ\"}",
            "{\"event\":\"media\",\"media\":{\"payload\":\"***\"}}",
            "{\"event\":\"media\",\"media\":{\"payload\":\"AAA\"}}",
            "{\"event\":\"media\",\"media\":{\"payload\":\"AA\"}}",
            "{\"event\":\"media\",\"media\":{\"payload\":\"A\"}}",
            "{\"event\":\"media\",\"media\":{\"payload\":\"AA==AA==\"}}",
            "{\"event\":\"media\",\"media\":{\"payload\":\"A===\"}}",
            "{\"event\":\"media\",\"media\":{\"payload\":\"AB=A\"}}",
            "{\"event\":\"media\",\"media\":{\"payload\":\"\"}}",
            "{\"event\":\"media\",\"media\":{\"chunk\":\"x\"}}",
            "{\"event\":\"media\",\"media\":{\"chunk\":\"1\"}}",
            "{\"event\":\"media\",\"media\":{\"chunk\":\"+1\",\"payload\":\"AAAA\"}}",
            "{\"event\":\"media\",\"media\":{\"chunk\":7,\"timestamp\":1.5,\"payload\":\"AAAA\"}}",
            "{\"event\":\"media\",\"media\":{\"chunk\":\"99999999999999999999\",\"payload\":\"\"}}",
            "{\"event\":\"media\",\"media\":{\"track\":\"both\",\"payload\":\"AAAA\"}}",
            "{\"event\":\"media\",\"media\":{\"payload\":\"QUJD\\/\"}}",
            "{\"event\":\"media\",\"media\":{\"payload\":\"AAAA\"}} trailing",
            "{\"event\":\"media\",\"media\":{\"payload\":\"AAAA\"},}",
            "{\"event\":\"media\",\"media\":{\"payload\":\"AAAA\"}",
            "{\"event\":\"media\",\"media\":[],\"payload\":\"AAAA\"}",
            "{\"event\":\"media\",\"start\":{\"customParameters\":[]},\"media\":{\"payload\":\"\"}}",
            "{\"event\":\"media\",\"version\":true,\"media\":{\"payload\":\"\"}}",
            "{\"ev\\u0065nt\":\"media\",\"media\":{\"payload\":\"AAAA\"}}",
            "{\"event\":\"med\\u0069a\",\"media\":{\"payload\":\"AAAA\"}}",
            "{\"event\":\"media\",\"media\":{\"payload\":\"AAAA\"},\"x\":\"bad \\q escape\"}",
            "{\"event\":\"media\",\"media\":{\"payload\":\"AAAA\"},\"x\":\"raw \u0001 control\"}",
            "{\"event\":\"media\",\"media\":{\"payload\":\"AAAA\"},\"event\":\"mark\"}",
            "\uFEFF{\"event\":\"media\",\"media\":{\"payload\":\"AAAA\"}}",
            "{\"event\":\"media\",\"media\":{\"payload\":\"AAAA\"},\"streamSid\":null}",
            "{\"event\":\"media\",\u000b\"media\":{\"payload\":\"AAAA\"}}");
    for (String message : messages) {
      assertThat(fast(utf8(message))).as(message).isEqualTo(full(utf8(message)));
    }
  }

  @Test
  void takesAnyFieldOrderWhitespaceAndStringFieldsWithoutTheFullParser() {
    Random random = new Random(13);
    for (int n = 0; n < 2_000; n++) {
      byte[] message = utf8(mediaMessage(random, false));
      assertThat(fast(message))
          .as(new String(message, StandardCharsets.UTF_8))
          .isEqualTo(full(message));
      // media messages are ASCII; one with other text in an extra field is the full parser's
      boolean ascii = new String(message, StandardCharsets.UTF_8).chars().allMatch(c -> c < 0x80);
      assertThat(fullParsesFor(message)).isEqualTo(ascii ? 0 : 1);
    }
  }

  @Test
  void bytesThatAreNotUtf8AreRefusedAsSuch() {
    byte[] message =
        utf8(
            "{\"event\":\"media\",\"streamSid\":\"MZ1\",\"media\":{\"payload\":\"AAAA\"},\"x\":\"ab\"}");
    message[message.length - 3] = (byte) 0xC3; // a lead byte followed by an ASCII quote
    assertThat(fast(message)).isEqualTo(full(message));
    assertThat(((Thrown) fast(message)).type()).isEqualTo(InvalidUtf8Exception.class);
  }

  @Test
  void agreesWithTheFullParserOnMessagesWithNumbersEscapesAndUnicode() {
    Random random = new Random(1313);
    for (int n = 0; n < 5_000; n++) {
      byte[] message = utf8(mediaMessage(random, true));
      assertThat(fast(message))
          .as(new String(message, StandardCharsets.UTF_8))
          .isEqualTo(full(message));
    }
  }

  /**
   * Random damage to valid media messages: the reader gives the full parser's answer, frame or
   * {@link MalformedFrameException} with the same text, and never anything else.
   */
  @Test
  void fuzzedMediaMessagesGetTheFullParsersAnswer() {
    Random random = new Random(0xC0DEC);
    int fastOnes = 0;
    int mutants = 60_000;
    for (int n = 0; n < mutants; n++) {
      // Half with a short payload, so that most damage lands on the JSON around it.
      int audioBytes = n % 2 == 0 ? random.nextInt(7) : 160;
      byte[] message =
          mutate(random, utf8(mediaMessage(random, random.nextInt(4) == 0, audioBytes)));
      Object expected = full(message);
      int before = reader.fullParses;
      Object actual = fast(message);
      if (reader.fullParses == before) {
        fastOnes++;
        assertThat(actual).isInstanceOf(MediaSeen.class);
      }
      if (actual instanceof Thrown thrown) {
        assertThat(thrown.type()).isIn(MalformedFrameException.class, InvalidUtf8Exception.class);
      }
      assertThat(actual).as("%s", HexFormat.of().formatHex(message)).isEqualTo(expected);
    }
    // Both parsers were exercised (most damage lands in the base64, which the full parser refuses).
    // (mutations that leave non-ASCII bytes go to the full parser too)
    assertThat(fastOnes).isBetween(mutants / 200, mutants - mutants / 50);
  }

  @Test
  void largeMessagesGrowTheScratchOrGoToTheFullParser() {
    byte[] audio = new byte[9_000];
    new Random(2).nextBytes(audio);
    byte[] big =
        utf8(
            "{\"event\":\"media\",\"media\":{\"payload\":\""
                + Base64.getEncoder().encodeToString(audio)
                + "\"}}");
    assertThat(fast(big)).isEqualTo(full(big));
    assertThat(fullParsesFor(big)).isZero();
    byte[] huge =
        utf8(
            "{\"event\":\"media\",\"media\":{\"payload\":\""
                + Base64.getEncoder().encodeToString(new byte[20_000])
                + "\"}}");
    assertThat(fast(huge)).isEqualTo(full(huge));
    assertThat(fullParsesFor(huge)).isOne();
  }

  // ---- Generated messages ----

  private static final String[] ODD_TEXT = {
    "plain", "", "quote \\\" inside", "back\\\\slash", "\\/", "\\b\\f\\n\\r\\t", "\\u00e9\\u20AC",
    "\\uD83D\\uDE00", "é€😀", "हिन्दी", "ü", "{\\\"x\\\":1}", "}]", ",:"
  };

  /**
   * A media message: Twilio's four top-level and four media fields in random order, random JSON
   * whitespace, sometimes extra string fields with escapes and non-ASCII text. With {@code odd},
   * also what Twilio does not send: numbers for counters, escaped names, other value types.
   */
  private static String mediaMessage(Random random, boolean odd) {
    return mediaMessage(random, odd, random.nextInt(5) == 0 ? random.nextInt(400) : 160);
  }

  private static String mediaMessage(Random random, boolean odd, int audioBytes) {
    byte[] audio = new byte[audioBytes];
    random.nextBytes(audio);
    List<String> media = new ArrayList<>();
    if (!odd || random.nextInt(10) > 0) {
      media.add(
          member(random, "track", "\"" + (random.nextBoolean() ? "inbound" : "outbound") + "\""));
    }
    media.add(member(random, "chunk", counter(random, odd)));
    media.add(member(random, "timestamp", counter(random, odd)));
    media.add(member(random, "payload", "\"" + Base64.getEncoder().encodeToString(audio) + "\""));
    addExtras(random, media, odd);
    Collections.shuffle(media, random);
    List<String> top = new ArrayList<>();
    top.add(member(random, odd && random.nextInt(20) == 0 ? "ev\\u0065nt" : "event", "\"media\""));
    top.add(member(random, "sequenceNumber", counter(random, odd)));
    top.add(member(random, "streamSid", "\"MZ" + ODD_TEXT[random.nextInt(ODD_TEXT.length)] + "\""));
    top.add(member(random, "media", object(random, media)));
    addExtras(random, top, odd);
    if (odd && random.nextInt(10) == 0) {
      top.add(member(random, "protocol", "\"Call\""));
    }
    Collections.shuffle(top, random);
    return space(random) + object(random, top) + space(random);
  }

  private static void addExtras(Random random, List<String> members, boolean odd) {
    int extras = random.nextInt(3);
    for (int i = 0; i < extras; i++) {
      String value = "\"" + ODD_TEXT[random.nextInt(ODD_TEXT.length)] + "\"";
      if (odd && random.nextBoolean()) {
        value =
            List.of("12", "-1.5e3", "true", "null", "[1,\"a\"]", "{\"k\":{}}")
                .get(random.nextInt(6));
      }
      // An escaped name may spell a known one: the strict parser leaves those to the full one.
      String name = odd ? ODD_TEXT[random.nextInt(ODD_TEXT.length)] : "é€😀 हिन्दी".substring(i);
      members.add(member(random, "x" + name, value));
    }
  }

  private static String counter(Random random, boolean odd) {
    long value = random.nextInt(4) == 0 ? random.nextLong(1L << 40) : random.nextInt(100_000);
    if (odd && random.nextInt(4) == 0) {
      return Long.toString(value);
    }
    return "\"" + value + "\"";
  }

  private static String member(Random random, String name, String value) {
    return "\"" + name + "\"" + space(random) + ":" + space(random) + value;
  }

  private static String object(Random random, List<String> members) {
    StringBuilder out = new StringBuilder("{").append(space(random));
    for (int i = 0; i < members.size(); i++) {
      if (i > 0) {
        out.append(space(random)).append(',').append(space(random));
      }
      out.append(members.get(i));
    }
    return out.append(space(random)).append('}').toString();
  }

  private static String space(Random random) {
    if (random.nextInt(3) > 0) {
      return "";
    }
    StringBuilder out = new StringBuilder();
    for (int i = random.nextInt(4); i >= 0; i--) {
      out.append(" \t\r\n".charAt(random.nextInt(4)));
    }
    return out.toString();
  }

  private static final byte[] INTERESTING = utf8("\"\\{}[]:,= \t\n\u0001/+AZaz09-.eE+u");

  private static byte[] mutate(Random random, byte[] message) {
    byte[] out = message;
    for (int edits = 1 + random.nextInt(3); edits > 0; edits--) {
      int at = random.nextInt(out.length + 1);
      byte b =
          random.nextInt(4) == 0
              ? (byte) random.nextInt(256)
              : INTERESTING[random.nextInt(INTERESTING.length)];
      switch (random.nextInt(6)) {
        case 0 -> { // replace one byte
          if (at < out.length) {
            out = out.clone();
            out[at] = b;
          }
        }
        case 1 -> { // insert one byte
          byte[] longer = new byte[out.length + 1];
          System.arraycopy(out, 0, longer, 0, at);
          longer[at] = b;
          System.arraycopy(out, at, longer, at + 1, out.length - at);
          out = longer;
        }
        case 2 -> { // delete a run
          int length = Math.min(out.length - at, 1 + random.nextInt(8));
          byte[] shorter = new byte[out.length - length];
          System.arraycopy(out, 0, shorter, 0, at);
          System.arraycopy(out, at + length, shorter, at, out.length - at - length);
          out = shorter;
        }
        case 3 -> { // truncate
          out = java.util.Arrays.copyOf(out, at);
        }
        case 4 -> { // duplicate a run somewhere else
          int length = Math.min(out.length - at, 1 + random.nextInt(40));
          int to = random.nextInt(out.length + 1);
          byte[] longer = new byte[out.length + length];
          System.arraycopy(out, 0, longer, 0, to);
          System.arraycopy(out, at, longer, to, length);
          System.arraycopy(out, to, longer, to + length, out.length - to);
          out = longer;
        }
        default -> { // flip one bit
          if (at < out.length) {
            out = out.clone();
            out[at] ^= (byte) (1 << random.nextInt(8));
          }
        }
      }
    }
    return out;
  }
}
