package io.parley.sim.audio;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every stretch of audio the TTS simulators emitted, indexed so a caller can map any bytes it hears
 * back to (request, offset), however the server re-framed them. Synthesized audio is unique to the
 * byte thanks to its pseudo-random low bits, so an 8-byte window identifies its place.
 */
public final class EmissionLog {
  private static final int STRIDE = 8;

  /** One TTS request's audio and where its words are. */
  public record Emission(
      long id, String source, String text, byte[] audio, List<Speech.Word> words) {}

  /** A place inside an emission. */
  public record Location(Emission emission, int offset) {}

  /** Audio kept for mapping (about 2.3 hours of speech); the oldest emissions go first. */
  private static final long RETAINED_BYTES = 64L * 1024 * 1024;

  private final AtomicLong ids = new AtomicLong();

  // guarded by this
  private long retainedBytes;
  private final ArrayDeque<Emission> emissions = new ArrayDeque<>();
  private final Map<Long, List<Location>> index = new HashMap<>();

  /** Emissions not in the index yet (the next {@link #locate} indexes them). */
  private final Set<Emission> unindexed = new LinkedHashSet<>();

  /**
   * Synthesizes text for a TTS request and logs the result. Indexing is left to the first {@link
   * #locate} after it: emitting happens while calls run (under load, indexing every window as it
   * was made was the simulators' biggest cost), locating happens when a test asks what was heard.
   */
  public Emission emit(String source, String text) {
    long id = ids.incrementAndGet();
    Speech.Utterance u = Speech.synthesize(text, id * 7919 + text.hashCode());
    Emission e = new Emission(id, source, text, u.audio(), u.words());
    synchronized (this) {
      emissions.add(e);
      unindexed.add(e);
      retainedBytes += e.audio().length;
      while (retainedBytes > RETAINED_BYTES && emissions.size() > 1) {
        forget(emissions.removeFirst());
      }
    }
    return e;
  }

  private void indexPending() {
    for (Emission e : unindexed) {
      for (int at = 0; at + STRIDE <= e.audio().length; at += STRIDE) {
        // quiet stretches (a word's onset) repeat across words, so a window can have several places
        index.computeIfAbsent(key(e.audio(), at), k -> new ArrayList<>(1)).add(new Location(e, at));
      }
    }
    unindexed.clear();
  }

  private void forget(Emission old) {
    retainedBytes -= old.audio().length;
    if (unindexed.remove(old)) {
      return;
    }
    for (int at = 0; at + STRIDE <= old.audio().length; at += STRIDE) {
      index.computeIfPresent(
          key(old.audio(), at),
          (k, places) -> {
            places.removeIf(p -> p.emission() == old);
            return places.isEmpty() ? null : places;
          });
    }
  }

  public synchronized List<Emission> emissions() {
    return List.copyOf(emissions);
  }

  /**
   * Splits received bytes into runs that match emitted audio; bytes that match nothing are left
   * out. Each run is (emission, offset in emission, offset in {@code bytes}, length).
   */
  public List<Run> locate(byte[] bytes) {
    return locate(bytes, null);
  }

  /**
   * Like {@link #locate(byte[])}, for audio that follows {@code previous} (the last run of the
   * audio before it, or null). Emissions of the same text share long identical stretches (silence,
   * word signatures), so a piece of audio can match several equally well; the tie goes to the
   * emission the audio continues, then to the newest, which is what a caller hears in order.
   */
  public synchronized List<Run> locate(byte[] bytes, Run previous) {
    indexPending();
    List<Run> runs = new ArrayList<>();
    int at = 0;
    Run last = previous;
    while (at + STRIDE <= bytes.length) {
      Run run = matchFrom(bytes, at, last);
      if (run == null) {
        at++;
        continue;
      }
      runs.add(run);
      last = run;
      at = run.from() + run.length();
    }
    return runs;
  }

  /** A run of received bytes equal to emitted audio. */
  public record Run(Emission emission, int emissionOffset, int from, int length) {}

  /** The longest run of emitted audio starting at {@code bytes[at]}, or null. */
  private Run matchFrom(byte[] bytes, int at, Run previous) {
    Run best = null;
    // windows at multiples of STRIDE inside each emission are indexed; try each shift
    for (int shift = 0; shift < STRIDE && at + shift + STRIDE <= bytes.length; shift++) {
      for (Location loc : index.getOrDefault(key(bytes, at + shift), List.of())) {
        if (loc.offset() < shift) {
          continue;
        }
        int start = loc.offset() - shift;
        byte[] audio = loc.emission().audio();
        int n = 0;
        while (at + n < bytes.length
            && start + n < audio.length
            && bytes[at + n] == audio[start + n]) {
          n++;
        }
        if (n < STRIDE) {
          continue;
        }
        Run candidate = new Run(loc.emission(), start, at, n);
        if (best == null
            || n > best.length()
            || n == best.length() && better(candidate, best, previous)) {
          best = candidate;
        }
      }
    }
    return best;
  }

  /**
   * Between two equally long matches: the one continuing {@code previous}; else the nearest one
   * after it (audio is heard in the order it was made: a common word such as "and" opening the next
   * sentence also occurs in earlier and later ones); else the newest.
   */
  private static boolean better(Run candidate, Run best, Run previous) {
    if (previous != null) {
      boolean continues =
          candidate.emission() == previous.emission()
              && candidate.emissionOffset() == previous.emissionOffset() + previous.length();
      boolean bestContinues =
          best.emission() == previous.emission()
              && best.emissionOffset() == previous.emissionOffset() + previous.length();
      if (continues != bestContinues) {
        return continues;
      }
      boolean follows = follows(candidate, previous);
      boolean bestFollows = follows(best, previous);
      if (follows != bestFollows) {
        return follows;
      }
      if (follows) {
        return candidate.emission().id() < best.emission().id();
      }
    }
    return candidate.emission().id() > best.emission().id();
  }

  /**
   * Whether {@code run} lies after {@code previous}: later in its emission, or a later emission.
   */
  private static boolean follows(Run run, Run previous) {
    long id = run.emission().id();
    long previousId = previous.emission().id();
    return id > previousId
        || id == previousId
            && run.emissionOffset() >= previous.emissionOffset() + previous.length();
  }

  private static long key(byte[] b, int at) {
    long k = 0;
    for (int i = 0; i < STRIDE; i++) {
      k = (k << 8) | (b[at + i] & 0xFF);
    }
    // Long.hashCode folds the halves together, so audio with a 4-byte period (μ-law silence)
    // collides into a few buckets, which ConcurrentHashMap then orders by reflection; a
    // bijective mix spreads the keys without ever making two windows equal
    k *= 0x9E3779B97F4A7C15L;
    return k ^ (k >>> 29);
  }
}
