package io.parley.telephony.twilio;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;

/**
 * The messages Parley sends on one Media Streams socket, written into Netty buffers: byte for byte
 * the text of {@link MediaStreamCodec#media}, {@link MediaStreamCodec#mark} and {@link
 * MediaStreamCodec#clear} in UTF-8. Everything around the audio is built once per stream, so a
 * {@code media} message is one buffer of its exact length, the fixed bytes copied in and the base64
 * written straight into it; nothing else is allocated per frame.
 *
 * <p>Each method returns a new buffer from {@code alloc} that belongs to the caller: write it to
 * the channel (the write releases it) or release it. Instances hold no mutable state; any thread
 * may use one.
 */
public final class OutboundMessages {

  private static final byte[] ENCODE =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
          .getBytes(StandardCharsets.US_ASCII);
  private static final byte[] MEDIA_TAIL = utf8(MediaStreamCodec.MEDIA_TAIL);
  private static final byte[] MARK_TAIL = utf8(MediaStreamCodec.MARK_TAIL);

  private final byte[] mediaHead;
  private final byte[] markHead;
  private final byte[] clear;

  /** For the stream Twilio named in its {@code start} message. */
  public OutboundMessages(String streamSid) {
    mediaHead = utf8(MediaStreamCodec.MEDIA_HEAD + quoted(streamSid) + MediaStreamCodec.MEDIA_MID);
    markHead = utf8(MediaStreamCodec.MARK_HEAD + quoted(streamSid) + MediaStreamCodec.MARK_MID);
    clear = utf8(MediaStreamCodec.CLEAR_HEAD + quoted(streamSid) + MediaStreamCodec.CLEAR_TAIL);
  }

  /** μ-law audio for Twilio to play after what it already holds: {@code length} bytes of it. */
  public ByteBuf media(ByteBufAllocator alloc, byte[] mulaw, int offset, int length) {
    java.util.Objects.checkFromIndexSize(offset, length, mulaw.length);
    int encoded = (length + 2) / 3 * 4;
    ByteBuf out = alloc.buffer(mediaHead.length + encoded + MEDIA_TAIL.length);
    out.writeBytes(mediaHead);
    int at = out.writerIndex();
    int i = offset;
    int whole = offset + length / 3 * 3;
    for (; i < whole; i += 3) {
      int bits = (mulaw[i] & 0xFF) << 16 | (mulaw[i + 1] & 0xFF) << 8 | (mulaw[i + 2] & 0xFF);
      out.setInt(
          at,
          ENCODE[bits >>> 18] << 24
              | ENCODE[bits >>> 12 & 63] << 16
              | ENCODE[bits >>> 6 & 63] << 8
              | ENCODE[bits & 63]);
      at += 4;
    }
    int left = offset + length - i;
    if (left > 0) {
      int bits = (mulaw[i] & 0xFF) << 16 | (left == 2 ? (mulaw[i + 1] & 0xFF) << 8 : 0);
      out.setInt(
          at,
          ENCODE[bits >>> 18] << 24
              | ENCODE[bits >>> 12 & 63] << 16
              | (left == 2 ? ENCODE[bits >>> 6 & 63] : '=') << 8
              | '=');
      at += 4;
    }
    out.writerIndex(at);
    return out.writeBytes(MEDIA_TAIL);
  }

  /** Asks Twilio to echo {@code name} once everything sent before it has played. */
  public ByteBuf mark(ByteBufAllocator alloc, String name) {
    String value = quoted(name);
    ByteBuf out =
        alloc.buffer(markHead.length + ByteBufUtil.utf8MaxBytes(value) + MARK_TAIL.length);
    out.writeBytes(markHead);
    ByteBufUtil.writeUtf8(out, value);
    return out.writeBytes(MARK_TAIL);
  }

  /** Tells Twilio to drop the audio it has not played yet (barge-in). */
  public ByteBuf clear(ByteBufAllocator alloc) {
    return alloc.buffer(clear.length).writeBytes(clear);
  }

  private static String quoted(String value) {
    StringBuilder out = new StringBuilder(value.length() + 8);
    MediaStreamCodec.appendString(out, value);
    return out.toString();
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
