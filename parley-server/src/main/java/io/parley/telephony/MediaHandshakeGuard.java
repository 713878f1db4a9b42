package io.parley.telephony;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The media port answers anything that is not a WebSocket upgrade of {@link PublicUrls#MEDIA} with
 * a problem detail like the rest of the API, judged on the request head before any body is read: a
 * wrong path 404, a wrong method 405 with {@code Allow: GET}, a request without the upgrade headers
 * or with a body 400, an unsupported WebSocket version 426, an over-long request line 414 and
 * over-long headers 431. After a refusal the connection takes nothing more: its output is shut down
 * and what the client still sends is read and dropped for up to two seconds, so the client reads
 * the answer instead of a reset. A valid upgrade removes this handler.
 */
final class MediaHandshakeGuard extends ChannelInboundHandlerAdapter {

  private static final long DRAIN_MILLIS = 2_000;

  private boolean refused;

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (refused) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (!(msg instanceof HttpRequest request)) {
      // A body part after a head this guard let through cannot happen (it refuses bodies).
      ReferenceCountUtil.release(msg);
      return;
    }
    Refusal refusal = judge(request);
    if (refusal == null) {
      ctx.pipeline().remove(this);
      ctx.fireChannelRead(msg);
      return;
    }
    ReferenceCountUtil.release(msg);
    refuse(ctx, refusal);
  }

  private record Refusal(HttpResponseStatus status, String detail, String header, String value) {
    Refusal(HttpResponseStatus status, String detail) {
      this(status, detail, null, null);
    }
  }

  private static Refusal judge(HttpRequest request) {
    if (request.decoderResult().isFailure()) {
      Throwable cause = request.decoderResult().cause();
      if (cause instanceof TooLongHttpLineException) {
        return new Refusal(
            HttpResponseStatus.REQUEST_URI_TOO_LONG, "The request line is too long.");
      }
      if (cause instanceof TooLongHttpHeaderException) {
        return new Refusal(
            HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE,
            "The request headers are too large.");
      }
      if (cause instanceof TooLongFrameException) {
        return new Refusal(HttpResponseStatus.BAD_REQUEST, "The request is too large.");
      }
      return new Refusal(HttpResponseStatus.BAD_REQUEST, "The request is not valid HTTP/1.1.");
    }
    if (!PublicUrls.MEDIA.equals(request.uri())) {
      return new Refusal(
          HttpResponseStatus.NOT_FOUND,
          "This port serves only the Twilio Media Streams socket at " + PublicUrls.MEDIA + ".");
    }
    if (!HttpMethod.GET.equals(request.method())) {
      return new Refusal(
          HttpResponseStatus.METHOD_NOT_ALLOWED,
          "This address takes a WebSocket upgrade (GET) from Twilio Media Streams.",
          HttpHeaderNames.ALLOW.toString(),
          "GET");
    }
    HttpHeaders headers = request.headers();
    if (!headers.containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)) {
      return new Refusal(
          HttpResponseStatus.BAD_REQUEST,
          "This address takes a WebSocket upgrade (Upgrade: websocket) from Twilio Media Streams.");
    }
    if (!headers.containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true)) {
      return new Refusal(
          HttpResponseStatus.BAD_REQUEST,
          "This address takes a WebSocket upgrade (Connection: Upgrade) from Twilio Media Streams.");
    }
    if (!headers.contains(HttpHeaderNames.SEC_WEBSOCKET_KEY)) {
      return new Refusal(HttpResponseStatus.BAD_REQUEST, "A WebSocket upgrade needs a key.");
    }
    if (!"13".equals(headers.get(HttpHeaderNames.SEC_WEBSOCKET_VERSION))) {
      return new Refusal(
          HttpResponseStatus.UPGRADE_REQUIRED,
          "Only WebSocket version 13 is supported.",
          HttpHeaderNames.SEC_WEBSOCKET_VERSION.toString(),
          "13");
    }
    if (HttpUtil.isTransferEncodingChunked(request) || HttpUtil.getContentLength(request, 0L) > 0) {
      return new Refusal(HttpResponseStatus.BAD_REQUEST, "A WebSocket upgrade carries no body.");
    }
    return null;
  }

  private void refuse(ChannelHandlerContext ctx, Refusal refusal) {
    refused = true;
    byte[] body = problem(refusal).getBytes(StandardCharsets.UTF_8);
    FullHttpResponse response =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1, refusal.status(), Unpooled.wrappedBuffer(body));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/problem+json");
    response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
    response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    if (refusal.header() != null) {
      response.headers().set(refusal.header(), refusal.value());
    }
    ctx.writeAndFlush(response)
        .addListener(
            (ChannelFutureListener)
                written -> {
                  if (written.channel() instanceof DuplexChannel duplex) {
                    duplex.shutdownOutput();
                    ctx.executor()
                        .schedule(() -> ctx.channel().close(), DRAIN_MILLIS, TimeUnit.MILLISECONDS);
                  } else {
                    written.channel().close();
                  }
                });
  }

  private static String problem(Refusal refusal) {
    return "{\"type\":\"about:blank\",\"title\":\""
        + refusal.status().reasonPhrase()
        + "\",\"status\":"
        + refusal.status().code()
        + ",\"detail\":\""
        + refusal.detail()
        + "\",\"instance\":\""
        + PublicUrls.MEDIA
        + "\"}";
  }
}
