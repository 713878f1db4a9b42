package io.parley.telephony.twilio;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads the text messages of one Media Streams socket from Netty buffers, fifty a second, without
 * making a String or a JSON tree per frame.
 *
 * <p>A {@code media} message of the shape Twilio sends goes through a small strict parser: the
 * message is copied once into a scratch array of this reader, walked once, and its base64 payload
 * decoded into a buffer from the caller's allocator that goes to {@link Sink#media}. Field order
 * and whitespace are free; other fields are skipped when their value is a string. Anything the
 * strict parser is not sure of (another event, an escaped name, a number where Twilio sends a
 * string, a field it does not know with a value that is not a string, bad base64, trailing text,
 * ...) is handed to {@link MediaStreamCodec#parse} unchanged, so every message gets exactly the
 * answer the full parser gives, {@link MalformedFrameException} included; the strict parser itself
 * never throws.
 *
 * <p>One reader per socket, used by one thread at a time (the socket's event loop): it keeps its
 * scratch arrays between messages. What one media frame allocates on the heap is only what the
 * allocator does for the returned buffer (nothing for a pooling allocator's recycled buffer).
 */
public final class InboundMessages {

  /** Where {@link #read} delivers what a message said. */
  public interface Sink {

    /**
     * One frame of caller audio: {@code mulaw} holds exactly its bytes, readable. The buffer was
     * allocated for this frame from the allocator given to {@link #read} and now belongs to the
     * sink, which must release it or hand it to something that will (a channel write does).
     *
     * @param track {@code "inbound"} or {@code "outbound"} as Twilio sent it, or null if absent
     * @param chunk Twilio's per-track counter (0 if absent)
     * @param timestampMs milliseconds since the stream started (0 if absent)
     */
    void media(String track, long chunk, long timestampMs, ByteBuf mulaw);

    /** Any other message, exactly as {@link MediaStreamCodec#parse} returns it. */
    void event(StreamEvent event);
  }

  // Larger messages are not media frames of a live call; the full parser may have them.
  private static final int MAX_FAST_BYTES = 16 * 1024;

  private final MediaStreamCodec codec;
  private byte[] text = new byte[1024];
  private byte[] audio = new byte[256];

  // What the message being read said so far.
  private int pos;
  private int end;
  private boolean media;
  private String track;
  private long chunk;
  private long timestamp;
  private int payloadStart;
  private int payloadEnd;
  private int audioLength;

  // Messages handed to the full parser; read by the tests.
  int fullParses;

  public InboundMessages() {
    this(new MediaStreamCodec());
  }

  public InboundMessages(MediaStreamCodec codec) {
    this.codec = codec;
  }

  /**
   * Reads one text message: the readable bytes of {@code message}, UTF-8 JSON. The message's
   * indices are left as they are and it is not released: it stays the caller's.
   *
   * @throws MalformedFrameException as {@link MediaStreamCodec#parse} would for the same text
   */
  public void read(ByteBuf message, ByteBufAllocator alloc, Sink sink) {
    int length = message.readableBytes();
    if (length <= MAX_FAST_BYTES) {
      if (text.length < length) {
        text = new byte[Math.max(length, text.length * 2)];
      }
      message.getBytes(message.readerIndex(), text, 0, length);
      if (strictMedia(length) && decodePayload()) {
        ByteBuf mulaw = alloc.buffer(audioLength);
        mulaw.writeBytes(audio, 0, audioLength);
        sink.media(track, chunk, timestamp, mulaw);
        return;
      }
    }
    fullParses++;
    StreamEvent event = codec.parse(strictUtf8(message, length));
    if (event instanceof StreamEvent.Media frame) {
      byte[] payload = frame.payload();
      ByteBuf mulaw = alloc.buffer(payload.length);
      mulaw.writeBytes(payload);
      sink.media(frame.track(), frame.chunk(), frame.timestampMs(), mulaw);
    } else {
      sink.event(event);
    }
  }

  /** The message as text, refusing bytes that are not UTF-8 (no silent replacement). */
  private static String strictUtf8(ByteBuf message, int length) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(message.nioBuffer(message.readerIndex(), length))
          .toString();
    } catch (CharacterCodingException e) {
      throw new InvalidUtf8Exception();
    }
  }

  // ---- The strict parser: true only for a well-formed media message it fully understood. ----

  private boolean strictMedia(int length) {
    pos = 0;
    end = length;
    media = false;
    track = null;
    chunk = 0;
    timestamp = 0;
    payloadStart = -1;
    payloadEnd = -1;
    skipWhitespace();
    if (!take('{')) {
      return false;
    }
    skipWhitespace();
    if (!take('}')) {
      do {
        skipWhitespace();
        if (!topLevelMember()) {
          return false;
        }
        skipWhitespace();
      } while (take(','));
      if (!take('}')) {
        return false;
      }
    }
    skipWhitespace();
    return pos == end && media && payloadStart >= 0;
  }

  private boolean topLevelMember() {
    int nameStart = pos + 1;
    if (!name()) {
      return false;
    }
    int nameEnd = pos - 1;
    skipWhitespace();
    if (!take(':')) {
      return false;
    }
    skipWhitespace();
    if (is(nameStart, nameEnd, EVENT)) {
      int start = pos + 1;
      if (!plainString()) {
        return false;
      }
      // Another event (or a repeated one that is not media) is the full parser's.
      media = is(start, pos - 1, MEDIA);
      return media;
    }
    if (is(nameStart, nameEnd, MEDIA)) {
      return mediaSection();
    }
    if (is(nameStart, nameEnd, STREAM_SID)) {
      return string();
    }
    for (byte[] known : FULL_PARSER_ONLY) {
      if (is(nameStart, nameEnd, known)) {
        return false;
      }
    }
    // sequenceNumber and fields the full parser skips too.
    return string();
  }

  private boolean mediaSection() {
    if (!take('{')) {
      return false;
    }
    skipWhitespace();
    if (take('}')) {
      return true;
    }
    do {
      skipWhitespace();
      int nameStart = pos + 1;
      if (!name()) {
        return false;
      }
      int nameEnd = pos - 1;
      skipWhitespace();
      if (!take(':')) {
        return false;
      }
      skipWhitespace();
      int start = pos + 1;
      if (is(nameStart, nameEnd, TRACK)) {
        if (!plainString()) {
          return false;
        }
        if (is(start, pos - 1, INBOUND)) {
          track = "inbound";
        } else if (is(start, pos - 1, OUTBOUND)) {
          track = "outbound";
        } else {
          return false;
        }
      } else if (is(nameStart, nameEnd, CHUNK)) {
        if (!plainString() || (chunk = digits(start, pos - 1)) < 0) {
          return false;
        }
      } else if (is(nameStart, nameEnd, TIMESTAMP)) {
        if (!plainString() || (timestamp = digits(start, pos - 1)) < 0) {
          return false;
        }
      } else if (is(nameStart, nameEnd, PAYLOAD)) {
        if (!take('"')) {
          return false;
        }
        // Only the closing quote is looked for here: decodePayload refuses anything but base64,
        // so a payload it takes was a plain JSON string (no escape, no control character).
        int close = indexOfQuote(pos);
        if (close < 0) {
          return false;
        }
        payloadStart = start;
        payloadEnd = close;
        pos = close + 1;
      } else if (!string()) {
        return false;
      }
      skipWhitespace();
    } while (take(','));
    return take('}');
  }

  /** A member name: a string without escapes (an escaped name may spell a known one). */
  private boolean name() {
    return plainString();
  }

  /** A string with no escape in it; {@code pos} ends after its closing quote. */
  private boolean plainString() {
    if (!take('"')) {
      return false;
    }
    // Locals, not the fields, in the loop: this walks the whole payload.
    byte[] bytes = text;
    int at = pos;
    int limit = end;
    while (at < limit) {
      int b = bytes[at++] & 0xFF;
      if (b == '"') {
        pos = at;
        return true;
      }
      if (b == '\\' || b < 0x20 || b >= 0x80) {
        return false;
      }
    }
    return false;
  }

  /** Any valid JSON string (escapes checked as Jackson checks them), skipped. */
  private boolean string() {
    if (!take('"')) {
      return false;
    }
    byte[] bytes = text;
    int at = pos;
    int limit = end;
    while (at < limit) {
      int b = bytes[at++] & 0xFF;
      if (b == '"') {
        pos = at;
        return true;
      }
      // Twilio's media messages are ASCII; anything else goes to the full parser, which checks
      // that it is UTF-8 (the socket no longer runs Netty's byte-by-byte validator)
      if (b < 0x20 || b >= 0x80) {
        return false;
      }
      if (b == '\\') {
        if (at >= limit) {
          return false;
        }
        switch (bytes[at++]) {
          case '"', '\\', '/', 'b', 'f', 'n', 'r', 't' -> {}
          case 'u' -> {
            if (limit - at < 4) {
              return false;
            }
            for (int i = 0; i < 4; i++) {
              if (Character.digit(bytes[at++], 16) < 0) {
                return false;
              }
            }
          }
          default -> {
            return false;
          }
        }
      }
    }
    return false;
  }

  private int indexOfQuote(int from) {
    byte[] bytes = text;
    int limit = end;
    for (int at = from; at < limit; at++) {
      if (bytes[at] == '"') {
        return at;
      }
    }
    return -1;
  }

  /** 1 to 18 ASCII digits (no sign, no overflow), or -1. */
  private long digits(int from, int to) {
    int count = to - from;
    if (count < 1 || count > 18) {
      return -1;
    }
    long value = 0;
    for (int i = from; i < to; i++) {
      int d = text[i] - '0';
      if (d < 0 || d > 9) {
        return -1;
      }
      value = value * 10 + d;
    }
    return value;
  }

  private boolean is(int from, int to, byte[] expected) {
    if (to - from != expected.length) {
      return false;
    }
    for (int i = 0; i < expected.length; i++) {
      if (text[from + i] != expected[i]) {
        return false;
      }
    }
    return true;
  }

  private boolean take(char c) {
    if (pos < end && text[pos] == c) {
      pos++;
      return true;
    }
    return false;
  }

  // JSON's whitespace, the only whitespace Jackson accepts between tokens.
  private void skipWhitespace() {
    int at = pos;
    while (at < end) {
      byte b = text[at];
      if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
        break;
      }
      at++;
    }
    pos = at;
  }

  /**
   * Decodes the payload into {@link #audio}. Only padded base64 (a multiple of four characters, at
   * most two '=' at the end) is taken; any other text, even some the JDK's decoder accepts, is left
   * to the full parser. Like the JDK, the unused low bits of the last group are ignored.
   */
  private boolean decodePayload() {
    int length = payloadEnd - payloadStart;
    if ((length & 3) != 0) {
      return false;
    }
    int padding = 0;
    if (length > 0 && text[payloadEnd - 1] == '=') {
      padding = text[payloadEnd - 2] == '=' ? 2 : 1;
    }
    audioLength = length / 4 * 3 - padding;
    if (audio.length < audioLength) {
      audio = new byte[Math.max(audioLength, audio.length * 2)];
    }
    int out = 0;
    int last = payloadEnd - (padding == 0 ? 0 : 4);
    int i = payloadStart;
    for (; i < last; i += 4) {
      int bits =
          DECODE[text[i] & 0xFF] << 18
              | DECODE[text[i + 1] & 0xFF] << 12
              | DECODE[text[i + 2] & 0xFF] << 6
              | DECODE[text[i + 3] & 0xFF];
      if (bits < 0) {
        return false;
      }
      audio[out++] = (byte) (bits >> 16);
      audio[out++] = (byte) (bits >> 8);
      audio[out++] = (byte) bits;
    }
    if (padding > 0) {
      int bits =
          DECODE[text[i] & 0xFF] << 18
              | DECODE[text[i + 1] & 0xFF] << 12
              | (padding == 2 ? 0 : DECODE[text[i + 2] & 0xFF] << 6);
      if (bits < 0) {
        return false;
      }
      audio[out++] = (byte) (bits >> 16);
      if (padding == 1) {
        audio[out++] = (byte) (bits >> 8);
      }
    }
    return true;
  }

  // -1 (all bits set, so any group holding one is negative) for anything outside the alphabet.
  private static final int[] DECODE = new int[256];

  static {
    java.util.Arrays.fill(DECODE, -1);
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (int i = 0; i < alphabet.length(); i++) {
      DECODE[alphabet.charAt(i)] = i;
    }
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static final byte[] EVENT = ascii("event");
  private static final byte[] MEDIA = ascii("media");
  private static final byte[] STREAM_SID = ascii("streamSid");
  private static final byte[] TRACK = ascii("track");
  private static final byte[] CHUNK = ascii("chunk");
  private static final byte[] TIMESTAMP = ascii("timestamp");
  private static final byte[] PAYLOAD = ascii("payload");
  private static final byte[] INBOUND = ascii("inbound");
  private static final byte[] OUTBOUND = ascii("outbound");

  // Top-level names the full parser reads (and may refuse) that a media frame has no use for.
  private static final byte[][] FULL_PARSER_ONLY = {
    ascii("protocol"), ascii("version"), ascii("start"), ascii("dtmf"), ascii("mark"), ascii("stop")
  };
}
