package io.parley.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SpeakableChunkerTest {

  /** Feeds the text in deltas of {@code size} characters and returns every piece, rest included. */
  private static List<String> chunks(SpeakableChunker chunker, String text, int size) {
    List<String> out = new ArrayList<>();
    for (int at = 0; at < text.length(); at += size) {
      out.addAll(chunker.append(text.substring(at, Math.min(text.length(), at + size))));
    }
    chunker.finish().ifPresent(out::add);
    return out;
  }

  private static List<String> chunks(String text) {
    return chunks(new SpeakableChunker(), text, text.length());
  }

  @Test
  void cutsAtSentenceEndsAndFlushesTheRestAtTheEnd() {
    assertThat(chunks("Hello there. How can I help you today? Great! And the rest"))
        .containsExactly("Hello there.", "How can I help you today?", "Great!", "And the rest");
  }

  @Test
  void aSentenceEndIsOnlyCertainOnceWhatFollowsIsKnown() {
    SpeakableChunker chunker = new SpeakableChunker();

    assertThat(chunker.append("It costs 3.")).isEmpty();
    assertThat(chunker.append("5 euros. Anything")).containsExactly("It costs 3.5 euros.");
    assertThat(chunker.append(" else?")).isEmpty();
    assertThat(chunker.append(" ")).containsExactly("Anything else?");
    assertThat(chunker.finish()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 5, 7, 1000})
  void theSamePiecesWhateverTheDeltaSizes(int size) {
    String text =
        "Dr. Smith will see you at 10:30 on Monday, 3.5 hours after Mr. J. K. Rowling; "
            + "the fee is 1,250.75 rupees. Is that fine? नमस्ते। आप कैसे हैं? Thanks!";
    assertThat(chunks(new SpeakableChunker(20, 250), text, size))
        .containsExactly(
            "Dr. Smith will see you at 10:30 on Monday,",
            "3.5 hours after Mr. J. K. Rowling;",
            "the fee is 1,250.75 rupees.",
            "Is that fine?",
            "नमस्ते।",
            "आप कैसे हैं?",
            "Thanks!");
  }

  @Test
  void neverSplitsDecimalsThousandsOrTimes() {
    assertThat(chunks("Pi is about 3.14159 and a crore is 1,00,00,000 at 09:45 sharp. Done."))
        .containsExactly("Pi is about 3.14159 and a crore is 1,00,00,000 at 09:45 sharp.", "Done.");
  }

  @Test
  void abbreviationsAndInitialsDoNotEndSentences() {
    assertThat(
            chunks(
                new SpeakableChunker(200, 250),
                "Ask Dr. Rao or Mrs. Iyer, e.g. at St. Mary's, i.e. the clinic on Park Ave. today."
                    + " Prof. A. Kumar agrees vs. last year etc. and so on. Next.",
                7))
        .containsExactly(
            "Ask Dr. Rao or Mrs. Iyer, e.g. at St. Mary's, i.e. the clinic on Park Ave. today.",
            "Prof. A. Kumar agrees vs. last year etc. and so on.",
            "Next.");
  }

  @Test
  void hindiSentencesEndAtTheDanda() {
    assertThat(chunks("आपका स्वागत है। मैं आपकी क्या मदद कर सकती हूँ? डॉ. शर्मा कल आएँगे। धन्यवाद"))
        .containsExactly(
            "आपका स्वागत है।", "मैं आपकी क्या मदद कर सकती हूँ?", "डॉ. शर्मा कल आएँगे।", "धन्यवाद");
  }

  @Test
  void theDoubleDandaAndEllipsisEndSentencesToo() {
    assertThat(chunks("पहला भाग॥ Well... let me think… Right."))
        .containsExactly("पहला भाग॥", "Well...", "let me think…", "Right.");
  }

  @Test
  void clauseBreaksNeedTheMinimumLength() {
    SpeakableChunker chunker = new SpeakableChunker(25, 250);
    assertThat(
            chunks(
                chunker,
                "Yes, sure. Your appointment on the fourth of June, at the main clinic; "
                    + "please bring: your card, your referral and a smile",
                1000))
        .containsExactly(
            "Yes, sure.",
            "Your appointment on the fourth of June,",
            "at the main clinic; please bring:",
            "your card, your referral and a smile");
  }

  @Test
  void aClosingQuoteOrBracketStaysWithItsSentence() {
    assertThat(chunks("He said \"we open at nine.\" Then he left (quickly!) and that was it."))
        .containsExactly(
            "He said \"we open at nine.\"", "Then he left (quickly!)", "and that was it.");
  }

  @Test
  void questionAndExclamationRunsStayTogether() {
    assertThat(chunks("Really?! Yes!!! Ok")).containsExactly("Really?!", "Yes!!!", "Ok");
  }

  @Test
  void aListNumberStaysWithItsItemAndLineBreaksEndPieces() {
    assertThat(chunks("Options:\n1. Monday morning\n2. Tuesday at 4.30 pm\n\nWhich suits you?"))
        .containsExactly(
            "Options:", "1. Monday morning", "2. Tuesday at 4.30 pm", "Which suits you?");
  }

  @Test
  void aYearEndingASentenceStillEndsIt() {
    assertThat(chunks("We opened in 2019. Since then we grew."))
        .containsExactly("We opened in 2019.", "Since then we grew.");
  }

  @Test
  void longTextWithoutBreaksIsCutAtTheLastSpaceWithinTheMaximum() {
    SpeakableChunker chunker = new SpeakableChunker(10, 20);
    assertThat(chunks(chunker, "one two three four five six seven eight nine ten", 3))
        .containsExactly("one two three four", "five six seven eight", "nine ten");
    assertThat(chunks(new SpeakableChunker(0, 5), "Supercalifragilistic word", 4))
        .containsExactly("Supercalifragilistic", "word");
  }

  @Test
  void blankAndEmptyInputYieldNothing() {
    SpeakableChunker chunker = new SpeakableChunker();
    assertThat(chunker.append("")).isEmpty();
    assertThat(chunker.append(null)).isEmpty();
    assertThat(chunker.append("   \n  ")).isEmpty();
    assertThat(chunker.finish()).isEqualTo(Optional.empty());
  }

  @Test
  void finishEmptiesTheChunkerForTheNextReply() {
    SpeakableChunker chunker = new SpeakableChunker();
    chunker.append("Half a sentence");
    assertThat(chunker.finish()).contains("Half a sentence");
    assertThat(chunker.append("New reply. ")).containsExactly("New reply.");
  }

  @Test
  void rejectsImpossibleLimits() {
    assertThatThrownBy(() -> new SpeakableChunker(-1, 10))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new SpeakableChunker(30, 10))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
