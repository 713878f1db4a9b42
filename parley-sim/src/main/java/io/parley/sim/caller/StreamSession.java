package io.parley.sim.caller;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.parley.sim.Json;
import io.parley.sim.SimClock;
import io.parley.sim.Timeline;
import io.parley.sim.audio.Mulaw;
import io.parley.sim.audio.Speech;
import io.parley.sim.audio.Wav;
import io.parley.sim.twilio.SimCall;
import io.parley.sim.twilio.Twiml;
import java.net.URI;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.node.ObjectNode;

/**
 * One bidirectional Media Stream, played as Twilio plays it: the caller's audio goes out as
 * 160-byte μ-law frames every 20 ms; the server's audio plays at real time (a chunk starts at the
 * later of its arrival and the end of the previous chunk); a mark is echoed when the audio queued
 * before it has played; a clear drops the unplayed audio and echoes every pending mark at once.
 *
 * <p>The stream lives on one caller event loop ({@link CallerLoops}): its socket's messages are
 * handled there, its frames go out on the loop's 20 ms tick, its marks are echoed by the loop's
 * timers. Only the call's owner thread waits for the stream to end, without waking.
 */
final class StreamSession extends SimpleChannelInboundHandler<WebSocketFrame> {
  private static final int FRAME = 160;

  /** Mean absolute amplitude above which the server's audio counts as the agent talking. */
  private static final double SPEECH_ENERGY = 150;

  private static final Base64.Encoder BASE64 = Base64.getEncoder();

  private record PendingMark(String name, long dueMicros, long receivedAt) {}

  private final SimCall call;
  private final Twiml.ConnectStream verb;
  private final CallMedia media;
  private final SimClock clock;
  private final String streamSid;
  private final Timeline timeline;
  private final CompletableFuture<Void> handshake = new CompletableFuture<>();
  private final CountDownLatch closed = new CountDownLatch(1);
  // the rest is touched on the stream's loop only
  private final List<PendingMark> pending = new ArrayList<>();
  private final List<long[]> agentSpeech = new ArrayList<>();
  private final int noiseStart;
  // the script's sentences, synthesized before the stream starts: never on the loop, where making
  // a new word's audio (tens of ms) would hold up every stream's frames
  private final Map<String, Speech.Utterance> utterances = new HashMap<>();
  private Channel channel;
  private CallerLoops.Loop loop;
  private ScriptPlayer script;
  private long playEndMicros;
  private int sequence;
  private long frames;
  private boolean sending;

  StreamSession(
      SimCall call,
      Twiml.ConnectStream verb,
      CallMedia media,
      String streamSid,
      Timeline timeline) {
    this.timeline = timeline;
    this.call = call;
    this.verb = verb;
    this.media = media;
    this.clock = call.clock();
    this.streamSid = streamSid;
    this.noiseStart = Math.floorMod(streamSid.hashCode(), NoiseFrames.COUNT);
  }

  /**
   * Runs the stream on the call's owner thread until either side ends it; {@code uri} is where the
   * socket connects (the verb's URL, or where a load balancer in front of the app sends it).
   */
  void run(CallerLoops loops, URI uri) throws InterruptedException {
    for (CallerScript.Step step : call.script().steps()) {
      if (step instanceof CallerScript.Say say) {
        utterances.computeIfAbsent(say.text(), this::make);
      }
    }
    try {
      connect(loops, uri);
      handshake.get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      closeChannel();
      throw e;
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      closeChannel();
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      call.error("31920 Stream - WebSocket - Handshake Error: " + uri + ": " + cause);
      return;
    }
    media.streamStarted(streamSid, verb.parameters());
    try {
      channel.eventLoop().submit(this::begin).get(5, TimeUnit.SECONDS);
      call.streamStatus(verb, streamSid, "stream-started");
      // a REST update interrupts this thread; if that interrupt was swallowed by the webhook
      // above, the pending command still ends the wait
      while (!closed.await(100, TimeUnit.MILLISECONDS)) {
        if (call.commandPending()) {
          throw new InterruptedException("a REST update is pending");
        }
      }
    } catch (InterruptedException e) {
      // a hang-up or redirect: Twilio stops the stream first
      stopFromOutside();
      throw e;
    } catch (ExecutionException | TimeoutException e) {
      call.error("31920 Stream - WebSocket - could not start: " + e);
      stopFromOutside();
    } finally {
      // a hang-up interrupts this thread; the webhook still goes out, then the interrupt stands
      boolean interrupted = Thread.interrupted();
      call.streamStatus(verb, streamSid, "stream-stopped");
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void connect(CallerLoops loops, URI uri) {
    int port = uri.getPort() > 0 ? uri.getPort() : uri.getScheme().equals("wss") ? 443 : 80;
    WebSocketClientProtocolConfig config =
        WebSocketClientProtocolConfig.newBuilder()
            .webSocketUri(uri)
            .version(WebSocketVersion.V13)
            .allowExtensions(false)
            .generateOriginHeader(false)
            .handleCloseFrames(true)
            .handshakeTimeoutMillis(10_000)
            .maxFramePayloadLength(1 << 20)
            .build();
    StreamSession session = this;
    Bootstrap bootstrap =
        loops
            .bootstrap()
            .handler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ch.pipeline()
                        .addLast(
                            new HttpClientCodec(),
                            new HttpObjectAggregator(1 << 16),
                            new WebSocketClientProtocolHandler(config),
                            new WebSocketFrameAggregator(1 << 20),
                            session);
                  }
                });
    ChannelFuture connecting = bootstrap.connect(uri.getHost(), port);
    channel = connecting.channel();
    loop = loops.loop(channel.eventLoop());
    connecting.addListener(
        f -> {
          if (!f.isSuccess()) {
            handshake.completeExceptionally(f.cause());
          }
        });
  }

  private void closeChannel() {
    if (channel != null) {
      channel.close();
    }
  }

  /** On the loop: {@code connected} and {@code start}, then frames from the next tick on. */
  private void begin() {
    send(Json.object().put("event", "connected").put("protocol", "Call").put("version", "1.0.0"));
    ObjectNode start = message("start");
    ObjectNode body = start.putObject("start");
    body.put("streamSid", streamSid)
        .put("accountSid", call.accountSid())
        .put("callSid", call.sid());
    body.putArray("tracks").add("inbound");
    ObjectNode params = body.putObject("customParameters");
    verb.parameters().forEach(params::put);
    body.putObject("mediaFormat")
        .put("encoding", "audio/x-mulaw")
        .put("sampleRate", 8000)
        .put("channels", 1);
    send(start);
    if (channel.isActive()) {
      sending = true;
      loop.add(this);
    }
  }

  /** The caller's side, on the loop's tick: this stream's frame for {@code scheduledMillis}. */
  void tick(long scheduledMillis) {
    if (!sending) {
      return;
    }
    long now = clock.nowMillis();
    if (script == null) {
      script = new ScriptPlayer(call.script(), this, now);
    }
    ScriptPlayer.Tick tick = script.tick(now);
    for (String digit : tick.digits()) {
      ObjectNode dtmf = message("dtmf");
      dtmf.putObject("dtmf").put("track", "inbound_track").put("digit", digit);
      send(dtmf);
      media.dtmf(digit);
    }
    byte[] frame = tick.audio() != null ? tick.audio() : noiseFrame();
    long n = frames++;
    String text =
        "{\"event\":\"media\",\"sequenceNumber\":\""
            + ++sequence
            + "\",\"streamSid\":\""
            + streamSid
            + "\",\"media\":{\"track\":\"inbound\",\"chunk\":\""
            + (n + 1)
            + "\",\"timestamp\":\""
            + 20 * n
            + "\",\"payload\":\""
            + BASE64.encodeToString(frame)
            + "\"}}";
    timeline.frameLateness(clock.nowMicros() - scheduledMillis * 1000);
    channel.writeAndFlush(new TextWebSocketFrame(text));
    media.sent(new CallMedia.Sent(now, frame));
    if (tick.hangUp()) {
      // the caller hangs up: Twilio completes the call and stops the stream; the hang-up is queued
      // first, so the call's owner never takes the stream's end for the app closing it
      call.hangUpByCaller();
      stop();
    }
  }

  // ---- what the script player needs to know about the agent ----

  Speech.Utterance synthesize(String text) {
    Speech.Utterance made = utterances.get(text);
    return made != null ? made : make(text);
  }

  private Speech.Utterance make(String text) {
    return Speech.synthesize(text, (call.sid() + text).hashCode());
  }

  /** The machine's beep ended at {@code atMillis}: it records from here on. */
  void beeped(long atMillis) {
    media.beeped(atMillis);
    call.machineBeeped(atMillis);
  }

  void said(long at, Speech.Utterance u) {
    media.said(new CallMedia.Said(at, u));
  }

  /** Line noise for one frame: shared, made once; copy it before writing into it. */
  byte[] noiseFrame() {
    return NoiseFrames.frame(noiseStart + (int) frames);
  }

  /** True while agent speech is playing at {@code nowMillis}. */
  boolean agentTalking(long nowMillis) {
    long now = nowMillis * 1000;
    // stretches are in play order and do not overlap
    for (int i = agentSpeech.size() - 1; i >= 0; i--) {
      long[] s = agentSpeech.get(i);
      if (s[0] <= now) {
        return now < s[1];
      }
    }
    return false;
  }

  /** When agent speech that started at or after {@code sinceMillis} began, or -1. */
  long agentStartedAfter(long sinceMillis) {
    long since = sinceMillis * 1000;
    for (long[] s : agentSpeech) {
      if (s[0] >= since) {
        return s[0] / 1000;
      }
    }
    return -1;
  }

  /** When the last agent speech still playing after {@code sinceMillis} ends, or -1. */
  long agentSpeechEnd(long sinceMillis) {
    if (agentSpeech.isEmpty()) {
      return -1;
    }
    long[] last = agentSpeech.getLast();
    return last[1] > sinceMillis * 1000 ? (last[1] + 999) / 1000 : -1;
  }

  // ---- server messages, on the loop ----

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
      handshake.complete(null);
    } else if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
      handshake.completeExceptionally(new TimeoutException("WebSocket handshake timed out"));
    }
    super.userEventTriggered(ctx, evt);
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
    if (frame instanceof TextWebSocketFrame text) {
      Inbound msg;
      try {
        msg = Inbound.parse(text.content());
      } catch (RuntimeException e) {
        call.error("31951 Stream - Protocol - Invalid Message: " + e.getMessage());
        return;
      }
      handle(msg);
    } else if (!(frame instanceof CloseWebSocketFrame)) {
      call.error("31951 Stream - Protocol - binary frames are not part of the protocol");
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    handshake.completeExceptionally(cause);
    ctx.close();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    handshake.completeExceptionally(new IllegalStateException("connection closed"));
    ended();
    super.channelInactive(ctx);
  }

  private void ended() {
    if (sending) {
      sending = false;
      loop.remove(this);
    }
    closed.countDown();
  }

  /** A message from the server: its event, stream and the one field each event carries. */
  record Inbound(String event, String streamSid, byte[] payload, String markName) {
    static Inbound parse(ByteBuf content) {
      byte[] bytes = ByteBufUtil.getBytes(content);
      String event = null;
      String sid = null;
      byte[] payload = null;
      String mark = null;
      try (JsonParser p = Json.MAPPER.createParser(bytes)) {
        if (p.nextToken() != JsonToken.START_OBJECT) {
          throw new IllegalArgumentException("not a JSON object");
        }
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
          String name = p.currentName();
          JsonToken value = p.nextToken();
          switch (name) {
            case "event" -> event = value == JsonToken.VALUE_STRING ? p.getString() : null;
            case "streamSid" -> sid = value == JsonToken.VALUE_STRING ? p.getString() : null;
            case "media", "mark" -> {
              if (value != JsonToken.START_OBJECT) {
                p.skipChildren();
                continue;
              }
              while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                String field = p.currentName();
                JsonToken v = p.nextToken();
                if (name.equals("media")
                    && field.equals("payload")
                    && v == JsonToken.VALUE_STRING) {
                  payload = Base64.getDecoder().decode(p.getString());
                } else if (name.equals("mark")
                    && field.equals("name")
                    && v == JsonToken.VALUE_STRING) {
                  mark = p.getString();
                } else {
                  p.skipChildren();
                }
              }
            }
            default -> p.skipChildren();
          }
        }
      }
      return new Inbound(event == null ? "" : event, sid == null ? "" : sid, payload, mark);
    }
  }

  private void handle(Inbound msg) {
    String event = msg.event();
    if (!event.equals("media") && !event.equals("mark") && !event.equals("clear")) {
      call.error("31951 Stream - Protocol - unknown event '" + event + "'");
      return;
    }
    if (!streamSid.equals(msg.streamSid())) {
      call.error("31951 Stream - Protocol - wrong or missing streamSid in " + event);
      return;
    }
    long nowMicros = clock.nowMicros();
    long now = nowMicros / 1000;
    switch (event) {
      case "media" -> {
        byte[] audio = msg.payload() == null ? new byte[0] : msg.payload();
        if (Wav.looksLikeWav(audio)) {
          call.error("31951 RIFF/WAV header inside outbound media: payload must be raw mu-law");
        }
        media.received(new CallMedia.Received(now, audio, nowMicros));
        long start = Math.max(now * 1000, playEndMicros);
        playEndMicros = start + audio.length * 125L;
        media.played(new CallMedia.Played(start, playEndMicros, audio));
        if (Mulaw.energy(audio, 0, audio.length) > SPEECH_ENERGY) {
          long[] last = agentSpeech.isEmpty() ? null : agentSpeech.getLast();
          if (last != null && last[1] == start) {
            last[1] = playEndMicros;
          } else {
            agentSpeech.add(new long[] {start, playEndMicros});
          }
        }
      }
      case "mark" -> {
        String name = msg.markName() == null ? "" : msg.markName();
        long due = Math.max(now * 1000, playEndMicros);
        pending.add(new PendingMark(name, due, now));
        loop.clock.at((due + 999) / 1000, this::echoDue);
      }
      case "clear" -> {
        media.cut(nowMicros, now);
        playEndMicros = Math.min(playEndMicros, nowMicros);
        for (long[] s : agentSpeech) {
          s[1] = Math.min(s[1], nowMicros);
        }
        List<PendingMark> flushed = new ArrayList<>(pending);
        pending.clear();
        for (PendingMark p : flushed) {
          echo(p, now, true);
        }
      }
      default -> throw new IllegalStateException(event);
    }
  }

  /** On a timer: echoes every mark whose audio has played by now. */
  private void echoDue() {
    long now = clock.nowMillis();
    Iterator<PendingMark> it = pending.iterator();
    List<PendingMark> ready = new ArrayList<>();
    while (it.hasNext()) {
      PendingMark p = it.next();
      if (p.dueMicros() <= now * 1000) {
        ready.add(p);
        it.remove();
      }
    }
    for (PendingMark p : ready) {
      echo(p, now, false);
    }
  }

  private void echo(PendingMark p, long now, boolean byClear) {
    ObjectNode mark = message("mark");
    mark.putObject("mark").put("name", p.name());
    if (send(mark)) {
      media.mark(new CallMedia.Mark(p.name(), p.receivedAt(), now, byClear));
    }
  }

  private ObjectNode message(String event) {
    return Json.object().put("event", event).put("streamSid", streamSid);
  }

  /**
   * Sends one message from the loop, the socket's only writer, which also keeps sequence numbers in
   * send order; false once the socket is closed.
   */
  private boolean send(ObjectNode message) {
    if (!channel.isActive() || closed.getCount() == 0) {
      return false;
    }
    ObjectNode out = message;
    if (!message.path("event").asString().equals("connected")) {
      out = Json.object().put("event", message.path("event").asString());
      out.put("sequenceNumber", Integer.toString(++sequence));
      out.setAll(message);
    }
    channel.writeAndFlush(new TextWebSocketFrame(Json.write(out)));
    return true;
  }

  /** On the loop: sends {@code stop} and closes the socket (the call ended or moved on). */
  private void stop() {
    if (closed.getCount() == 0) {
      return;
    }
    ObjectNode stop = message("stop");
    stop.putObject("stop").put("accountSid", call.accountSid()).put("callSid", call.sid());
    send(stop);
    if (sending) {
      sending = false;
      loop.remove(this);
    }
    if (channel.isActive()) {
      channel.writeAndFlush(new CloseWebSocketFrame(1000, "")).addListener(f -> closed.countDown());
      // the server answers the close and the connection ends; a silent one is cut after 2 s
      channel.eventLoop().schedule(() -> channel.close(), 2, TimeUnit.SECONDS);
    } else {
      closed.countDown();
    }
  }

  /** From the owner thread: stop on the loop and wait (briefly) until it has. */
  private void stopFromOutside() {
    try {
      channel.eventLoop().submit(this::stop).await(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public boolean isSharable() {
    return false;
  }
}
