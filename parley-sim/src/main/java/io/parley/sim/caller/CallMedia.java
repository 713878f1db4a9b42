package io.parley.sim.caller;

import io.parley.sim.audio.EmissionLog;
import io.parley.sim.audio.Mulaw;
import io.parley.sim.audio.Speech;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What happened to one call's audio, across all its streams: every frame the server sent with its
 * arrival time, when each piece played, the marks and clears, and what the caller said. Heard text
 * is derived from the played audio through the TTS emission log.
 */
public final class CallMedia {

  /** A media message from the server, as received. */
  public record Received(long atMillis, byte[] payload, long atMicros) {
    public Received(long atMillis, byte[] payload) {
      this(atMillis, payload, atMillis * 1000);
    }
  }

  /** A stretch of server audio as it played: [startMicros, endMicros) on the sim clock. */
  public record Played(long startMicros, long endMicros, byte[] audio) {
    int playedBytes(long untilMicros) {
      long until = Math.min(untilMicros, endMicros);
      return until <= startMicros ? 0 : (int) Math.min(audio.length, (until - startMicros) / 125);
    }
  }

  /** A mark the server sent and when the caller echoed it. */
  public record Mark(String name, long receivedAtMillis, long echoedAtMillis, boolean byClear) {}

  /** Something the caller said, when it started and its synthesized audio. */
  public record Said(long atMillis, Speech.Utterance utterance) {}

  /** A frame the caller sent. */
  record Sent(long atMillis, byte[] audio) {}

  private final EmissionLog emissions;
  private final List<Received> received = new ArrayList<>();
  private final List<Played> played = new ArrayList<>();
  private final List<Mark> marks = new ArrayList<>();
  private final List<Long> clears = new ArrayList<>();
  private final List<Long> clearMicros = new ArrayList<>();
  private final List<Said> said = new ArrayList<>();
  private final List<Sent> sent = new ArrayList<>();
  private final List<String> dtmf = new ArrayList<>();
  private final List<String> streamSids = new ArrayList<>();
  private final Map<String, String> customParameters = new LinkedHashMap<>();
  private long beepEndMillis = -1;

  CallMedia(EmissionLog emissions) {
    this.emissions = emissions;
  }

  synchronized void streamStarted(String streamSid, Map<String, String> parameters) {
    streamSids.add(streamSid);
    customParameters.putAll(parameters);
  }

  synchronized void received(Received r) {
    received.add(r);
  }

  synchronized void played(Played p) {
    played.add(p);
  }

  /** A clear at {@code atMicros}: whatever had not played by then never will. */
  synchronized void cut(long atMicros, long atMillis) {
    clears.add(atMillis);
    clearMicros.add(atMicros);
    for (int i = played.size() - 1; i >= 0; i--) {
      Played p = played.get(i);
      if (p.startMicros() >= atMicros) {
        played.remove(i);
      } else if (p.endMicros() > atMicros) {
        int keep = p.playedBytes(atMicros);
        played.set(
            i, new Played(p.startMicros(), atMicros, java.util.Arrays.copyOf(p.audio(), keep)));
      }
    }
  }

  synchronized void beeped(long atMillis) {
    beepEndMillis = atMillis;
  }

  /**
   * When the answering machine's beep ended (sim clock), or -1 when it has not beeped: a machine
   * records what plays from then on.
   */
  public synchronized long beepEndMillis() {
    return beepEndMillis;
  }

  synchronized void mark(Mark m) {
    marks.add(m);
  }

  synchronized void said(Said s) {
    said.add(s);
  }

  synchronized void sent(Sent s) {
    sent.add(s);
  }

  synchronized void dtmf(String digit) {
    dtmf.add(digit);
  }

  public synchronized List<Received> received() {
    return List.copyOf(received);
  }

  public synchronized List<Mark> marks() {
    return List.copyOf(marks);
  }

  public synchronized List<Long> clears() {
    return List.copyOf(clears);
  }

  /** When the server's clears arrived, in microseconds on the sim clock. */
  public synchronized List<Long> clearsMicros() {
    return List.copyOf(clearMicros);
  }

  public synchronized List<Said> said() {
    return List.copyOf(said);
  }

  public synchronized List<String> dtmfSent() {
    return List.copyOf(dtmf);
  }

  public synchronized List<String> streamSids() {
    return List.copyOf(streamSids);
  }

  public synchronized Map<String, String> customParameters() {
    return Map.copyOf(customParameters);
  }

  public synchronized List<Played> played() {
    return List.copyOf(played);
  }

  /** Audio of the agent that started playing at or after {@code fromMicros}, as heard by then. */
  public synchronized List<byte[]> heardAudio(long fromMicros, long nowMicros) {
    List<byte[]> out = new ArrayList<>();
    for (Played p : played) {
      if (p.startMicros() < fromMicros) {
        continue;
      }
      int n = p.playedBytes(nowMicros);
      if (n > 0) {
        out.add(java.util.Arrays.copyOf(p.audio(), n));
      }
    }
    return out;
  }

  /**
   * The words of the agent's TTS audio the caller heard in full by {@code nowMicros}, in order.
   * Audio is mapped back to TTS requests through the emission log, whatever the re-framing.
   */
  public String heardText(long nowMicros) {
    return heardText(Long.MIN_VALUE, nowMicros);
  }

  /**
   * As {@link #heardText(long)}, counting only audio that started playing at or after {@code
   * fromMicros} (what an answering machine recorded after its beep).
   */
  public String heardText(long fromMicros, long nowMicros) {
    Map<Long, BitSet> heard = new LinkedHashMap<>();
    Map<Long, EmissionLog.Emission> byId = new LinkedHashMap<>();
    // Located as one stream, not message by message: a word is the same audio in every emission
    // that says it, so a message holding only the start of a reply's first word matches each of
    // them equally; across the message boundary the longest run is the one emission it is.
    List<byte[]> chunks = heardAudio(fromMicros, nowMicros);
    byte[] all = new byte[chunks.stream().mapToInt(c -> c.length).sum()];
    int filled = 0;
    for (byte[] chunk : chunks) {
      System.arraycopy(chunk, 0, all, filled, chunk.length);
      filled += chunk.length;
    }
    for (EmissionLog.Run run : emissions.locate(all, null)) {
      byId.putIfAbsent(run.emission().id(), run.emission());
      heard
          .computeIfAbsent(run.emission().id(), id -> new BitSet())
          .set(run.emissionOffset(), run.emissionOffset() + run.length());
    }
    List<String> words = new ArrayList<>();
    for (var e : byId.entrySet()) {
      BitSet bits = heard.get(e.getKey());
      for (Speech.Word w : e.getValue().words()) {
        if (bits.get(w.start(), w.end()).cardinality() == w.end() - w.start()) {
          words.add(w.text());
        }
      }
    }
    return String.join(" ", words);
  }

  /** Both parties mixed, μ-law, between two sim-clock times (for recordings). */
  public synchronized byte[] mix(long fromMillis, long toMillis) {
    int samples = (int) Math.max(0, (toMillis - fromMillis) * 8);
    int[] linear = new int[samples];
    for (Sent s : sent) {
      add(linear, (s.atMillis() - fromMillis) * 8, s.audio());
    }
    for (Played p : played) {
      add(linear, p.startMicros() / 125 - fromMillis * 8, p.audio());
    }
    byte[] out = new byte[samples];
    for (int i = 0; i < samples; i++) {
      out[i] = Mulaw.encode(Math.clamp(linear[i], -32768, 32767));
    }
    return out;
  }

  private static void add(int[] linear, long at, byte[] audio) {
    for (int i = 0; i < audio.length; i++) {
      long k = at + i;
      if (k >= 0 && k < linear.length) {
        linear[(int) k] += Mulaw.decode(audio[i]);
      }
    }
  }
}
