package io.parley.sim.audio;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpeechTest {

  private static List<String> decode(byte[] audio, int chunk) {
    SpeechDecoder decoder = new SpeechDecoder();
    List<String> words = new ArrayList<>();
    for (int at = 0; at < audio.length; at += chunk) {
      int n = Math.min(chunk, audio.length - at);
      decoder.feed(audio, at, n).forEach(w -> words.add(w.text()));
    }
    return words;
  }

  @Test
  void wordsSurviveAnyFraming() {
    Speech.Utterance u = Speech.synthesize("good morning, I'd like a table for two", 42);
    for (int chunk : new int[] {1, 37, 160, 320, 4000}) {
      assertThat(decode(u.audio(), chunk))
          .containsExactly("good", "morning,", "I'd", "like", "a", "table", "for", "two");
    }
  }

  @Test
  void isDeterministicAndTimed() {
    Speech.Utterance a = Speech.synthesize("hello there", 7);
    assertThat(Speech.synthesize("hello there", 7).audio()).isEqualTo(a.audio());
    assertThat(a.words()).hasSize(2);
    // no pause over 100 ms (800 samples) inside an utterance
    assertThat(a.words().get(1).start() - a.words().get(0).end()).isLessThanOrEqualTo(800);
    assertThat(a.durationMillis()).isBetween(500L, 1200L);
  }

  @Test
  void isVoicedAudioNotSilence() {
    Speech.Utterance u = Speech.synthesize("speech", 1);
    Speech.Word w = u.words().getFirst();
    assertThat(Mulaw.energy(u.audio(), w.start(), w.end())).isGreaterThan(1000);
  }

  @Test
  void aChangedOrMissingByteLosesOnlyThatWord() {
    Speech.Utterance u = Speech.synthesize("one two three", 3);
    byte[] changed = u.audio().clone();
    int inTwo = u.words().get(1).start() + 500;
    changed[inTwo] ^= 1;
    assertThat(decode(changed, 160)).containsExactly("one", "three");

    Speech.Word three = u.words().get(2);
    byte[] missing = new byte[u.audio().length - 160];
    int cut = three.start() + 400;
    System.arraycopy(u.audio(), 0, missing, 0, cut);
    System.arraycopy(u.audio(), cut + 160, missing, cut, u.audio().length - cut - 160);
    assertThat(decode(missing, 160)).containsExactly("one", "two");
  }

  @Test
  void theEmissionLogFindsHeardAudioWhateverTheFraming() {
    EmissionLog log = new EmissionLog();
    EmissionLog.Emission e = log.emit("tts", "we open at nine");
    byte[] middle = Arrays.copyOfRange(e.audio(), 1003, 2999);
    List<EmissionLog.Run> runs = log.locate(middle);
    assertThat(runs).hasSize(1);
    assertThat(runs.getFirst().emissionOffset()).isEqualTo(1003);
    assertThat(runs.getFirst().length()).isEqualTo(middle.length);
  }

  @Test
  void mulawRoundTrips() {
    for (int b = 0; b < 256; b++) {
      byte x = (byte) b;
      short linear = Mulaw.decode(x);
      // 0x7F and 0xFF both mean zero; every other code maps back to itself
      if (b != 0x7F) {
        assertThat(Mulaw.encode(linear)).isEqualTo(x);
      }
    }
  }
}
