package io.parley.sim.caller;

import io.parley.sim.SimClock;
import io.parley.sim.audio.EmissionLog;
import io.parley.sim.twilio.MediaLeg;
import io.parley.sim.twilio.SimCall;
import io.parley.sim.twilio.Twiml;
import java.net.URI;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * The carrier's media side: connects to the app's {@code <Connect><Stream>} URL as Twilio's Media
 * Streams client and plays the destination's caller script. Keeps each call's {@link CallMedia}.
 */
public final class MediaStreamCaller implements MediaLeg, AutoCloseable {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final EmissionLog emissions;
  private final SimClock clock;
  // started with the first stream, so a simulator that places no call runs no caller loop
  private CallerLoops loops;
  private boolean closed;

  /**
   * Calls whose audio is kept for inspection; older ones are forgotten so a long run stays small.
   */
  private static final int RETAINED_CALLS = 256;

  private final Map<String, CallMedia> media =
      java.util.Collections.synchronizedMap(
          new java.util.LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, CallMedia> eldest) {
              return size() > RETAINED_CALLS;
            }
          });

  private final io.parley.sim.Timeline timeline;
  private volatile UnaryOperator<URI> streamRoute = UnaryOperator.identity();

  public MediaStreamCaller(EmissionLog emissions, io.parley.sim.Timeline timeline) {
    this(emissions, timeline, SimClock.system());
  }

  public MediaStreamCaller(EmissionLog emissions, io.parley.sim.Timeline timeline, SimClock clock) {
    this.emissions = emissions;
    this.timeline = timeline;
    this.clock = clock;
  }

  private synchronized CallerLoops loops() {
    if (closed) {
      throw new IllegalStateException("the simulator is closed");
    }
    if (loops == null) {
      loops = new CallerLoops(clock);
    }
    return loops;
  }

  /** Stops the callers' event loops. */
  @Override
  public synchronized void close() {
    closed = true;
    if (loops != null) {
      loops.close();
    }
  }

  /**
   * Where each stream's socket connects, given its {@code <Stream url>}: plays a load balancer in
   * front of several app nodes, which may hand the socket to a node other than the one that
   * answered the webhook. The identity (connect where the TwiML says) unless set.
   */
  public void routeStreams(UnaryOperator<URI> route) {
    streamRoute = Objects.requireNonNull(route);
  }

  /** The call's audio record (created empty on first use). */
  public CallMedia media(String callSid) {
    return media.computeIfAbsent(callSid, sid -> new CallMedia(emissions));
  }

  @Override
  public void connect(SimCall call, Twiml.ConnectStream stream) throws InterruptedException {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    String streamSid = "MZ" + HexFormat.of().formatHex(bytes);
    URI uri = streamRoute.apply(URI.create(stream.url()));
    new StreamSession(call, stream, media(call.sid()), streamSid, timeline).run(loops(), uri);
  }

  @Override
  public void callEnded(SimCall call) {
    // nothing is held per call beyond its media record, which stays for inspection
  }

  @Override
  public byte[] audio(SimCall call, long fromMillis, long toMillis) {
    return media(call.sid()).mix(fromMillis, toMillis);
  }
}
