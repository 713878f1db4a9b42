package io.parley.sim.elevenlabs;

import io.parley.sim.Json;
import io.parley.sim.audio.EmissionLog;
import io.parley.sim.audio.Speech;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Cuts one generation's audio into ElevenLabs audio messages with character alignment. */
final class Synthesis {
  /** About half a second of μ-law audio per message, cut at word boundaries. */
  private static final int CHUNK_BYTES = 4000;

  private Synthesis() {}

  static List<ObjectNode> messages(EmissionLog.Emission e) {
    List<ObjectNode> out = new ArrayList<>();
    List<Speech.Word> words = e.words();
    int first = 0;
    while (first < words.size()) {
      int last = first;
      int start = words.get(first).start();
      while (last + 1 < words.size() && nextEnd(e, words, last + 1) - start <= CHUNK_BYTES) {
        last++;
      }
      int end = nextEnd(e, words, last);
      out.add(message(e, words.subList(first, last + 1), start, end));
      first = last + 1;
    }
    return out;
  }

  /** A word's audio runs to the start of the next word (its trailing pause included). */
  private static int nextEnd(EmissionLog.Emission e, List<Speech.Word> words, int i) {
    return i + 1 < words.size() ? words.get(i + 1).start() : e.audio().length;
  }

  private static ObjectNode message(
      EmissionLog.Emission e, List<Speech.Word> words, int start, int end) {
    ArrayNode chars = Json.array();
    ArrayNode starts = Json.array();
    ArrayNode durations = Json.array();
    for (int w = 0; w < words.size(); w++) {
      Speech.Word word = words.get(w);
      int n = word.text().length();
      double perChar = (word.end() - word.start()) / 8.0 / n;
      for (int c = 0; c < n; c++) {
        chars.add(String.valueOf(word.text().charAt(c)));
        starts.add(Math.round((word.start() - start) / 8.0 + c * perChar));
        durations.add(Math.round(perChar));
      }
      int gapEnd = w + 1 < words.size() ? words.get(w + 1).start() : end;
      chars.add(" ");
      starts.add(Math.round((word.end() - start) / 8.0));
      durations.add(Math.round((gapEnd - word.end()) / 8.0));
    }
    ObjectNode alignment = Json.object();
    alignment.set("chars", chars);
    alignment.set("charStartTimesMs", starts);
    alignment.set("charDurationsMs", durations);
    ObjectNode m = Json.object();
    m.put("audio", Base64.getEncoder().encodeToString(Arrays.copyOfRange(e.audio(), start, end)));
    m.putNull("isFinal");
    m.set("normalizedAlignment", alignment.deepCopy());
    m.set("alignment", alignment);
    return m;
  }
}
