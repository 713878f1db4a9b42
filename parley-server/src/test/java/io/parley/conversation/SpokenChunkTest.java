package io.parley.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.tts.TtsEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the caller heard of a chunk cut short. */
class SpokenChunkTest {

  private static final String TEXT = "We will send you a confirmation shortly.";

  @Test
  void aChunkWhoseMarkCameBackWasHeardInFull() {
    SpokenChunk chunk = new SpokenChunk(TEXT, new AssistantTurn());
    chunk.played = true;

    assertThat(chunk.heard(0)).isEqualTo(TEXT);
  }

  @Test
  void nothingPlayedMeansNothingHeard() {
    SpokenChunk chunk = new SpokenChunk(TEXT, new AssistantTurn());
    chunk.addAudio(new byte[8000], TtsEvent.Alignment.NONE);

    assertThat(chunk.heard(0)).isEmpty();
  }

  @Test
  void withAlignmentTheStartedCharactersCountCutBackToAWord() {
    SpokenChunk chunk = new SpokenChunk("Hello there", new AssistantTurn());
    // one character every 50 ms: "Hello " is 6 characters, "th" starts at 300 and 350 ms
    List<String> chars = "Hello there".chars().mapToObj(c -> String.valueOf((char) c)).toList();
    List<Integer> starts =
        java.util.stream.IntStream.range(0, chars.size()).map(i -> i * 50).boxed().toList();
    chunk.addAudio(new byte[8 * 600], new TtsEvent.Alignment(chars, starts));
    chunk.done = true;

    assertThat(chunk.heard(8 * 320)).isEqualTo("Hello");
    assertThat(chunk.heard(8 * 600)).isEqualTo("Hello there");
  }

  @Test
  void withoutAlignmentTheShareOfAudioPlayedCounts() {
    SpokenChunk chunk = new SpokenChunk(TEXT, new AssistantTurn());
    chunk.addAudio(new byte[10_000], TtsEvent.Alignment.NONE);
    chunk.done = true;

    String half = chunk.heard(5_000);
    assertThat(TEXT).startsWith(half);
    assertThat(half).isNotEmpty().isNotEqualTo(TEXT);
    assertThat(Character.isWhitespace(TEXT.charAt(half.length()))).isTrue();
  }

  @Test
  void wordsAreNeverSplit() {
    assertThat(SpokenChunk.wholeWords("Hello there friend", 8)).isEqualTo("Hello");
    assertThat(SpokenChunk.wholeWords("Hello there friend", 6)).isEqualTo("Hello");
    assertThat(SpokenChunk.wholeWords("Hello there friend", 11)).isEqualTo("Hello there");
    assertThat(SpokenChunk.wholeWords("Hello", 3)).isEmpty();
    assertThat(SpokenChunk.wholeWords("Hello", 99)).isEqualTo("Hello");
  }
}
