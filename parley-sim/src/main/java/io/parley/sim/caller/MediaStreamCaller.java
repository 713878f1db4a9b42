package io.parley.sim.caller;

import io.parley.sim.audio.EmissionLog;
import io.parley.sim.twilio.MediaLeg;
import io.parley.sim.twilio.SimCall;
import io.parley.sim.twilio.Twiml;
import java.net.http.HttpClient;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;

/**
 * The carrier's media side: connects to the app's {@code <Connect><Stream>} URL as Twilio's Media
 * Streams client and plays the destination's caller script. Keeps each call's {@link CallMedia}.
 */
public final class MediaStreamCaller implements MediaLeg {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final EmissionLog emissions;

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

  public MediaStreamCaller(EmissionLog emissions, io.parley.sim.Timeline timeline) {
    this.emissions = emissions;
    this.timeline = timeline;
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
    new StreamSession(call, stream, media(call.sid()), streamSid, timeline).run(http);
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
