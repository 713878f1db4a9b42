package io.parley.conversation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.conversation.BargeInRule.Decision;
import io.parley.conversation.BargeInRule.Ignore;
import io.parley.conversation.BargeInRule.Interrupt;
import io.parley.conversation.BargeInRule.PauseAudio;
import io.parley.conversation.BargeInRule.ResumeAudio;
import io.parley.conversation.BargeInRule.Settings;
import io.parley.conversation.BargeInRule.SpeechEnded;
import io.parley.conversation.BargeInRule.SpeechStarted;
import io.parley.conversation.BargeInRule.Transcript;
import java.util.List;
import org.junit.jupiter.api.Test;

class BargeInRuleTest {

  private static final List<String> BACKCHANNELS =
      List.of("uh-huh", "mm-hmm", "yeah", "okay", "right", "हाँ", "जी", "अच्छा");

  private static BargeInRule immediate() {
    return new BargeInRule(new Settings(0, 0, BACKCHANNELS));
  }

  private static BargeInRule confirming(int minWords, int minSpeechMs) {
    return new BargeInRule(new Settings(minWords, minSpeechMs, BACKCHANNELS));
  }

  private static Transcript interim(String text, long speechMs, long atMs) {
    return new Transcript(text, speechMs, false, atMs);
  }

  private static Transcript fin(String text, long speechMs, long atMs) {
    return new Transcript(text, speechMs, true, atMs);
  }

  @Test
  void immediateModeInterruptsOnSpeechStarted() {
    BargeInRule rule = immediate();

    assertThat(rule.decide(new SpeechStarted(1_000), true)).isEqualTo(new Interrupt(1_000));
    // The rest of that speech does not interrupt a second time.
    assertThat(rule.decide(interim("wait", 200, 1_300), true)).isSameAs(Ignore.INSTANCE);
    assertThat(rule.decide(new SpeechEnded(1_800), true)).isSameAs(Ignore.INSTANCE);
    // A new burst of speech during a later reply interrupts again.
    assertThat(rule.decide(new SpeechStarted(5_000), true)).isEqualTo(new Interrupt(5_000));
  }

  @Test
  void immediateModeInterruptsOnAnyNonEmptyInterimEvenABackchannel() {
    BargeInRule rule = immediate();

    assertThat(rule.decide(interim("", 0, 900), true)).isSameAs(Ignore.INSTANCE);
    assertThat(rule.decide(interim(" ... ", 0, 950), true)).isSameAs(Ignore.INSTANCE);
    // Without a SpeechStarted the start of speech is derived from the transcript's duration.
    assertThat(rule.decide(interim("okay", 250, 1_250), true)).isEqualTo(new Interrupt(1_000));
  }

  @Test
  void nothingHappensWhileTheAgentIsSilent() {
    BargeInRule rule = confirming(2, 300);

    assertThat(rule.decide(new SpeechStarted(0), false)).isSameAs(Ignore.INSTANCE);
    assertThat(rule.decide(fin("I want to book a table", 1_500, 1_500), false))
        .isSameAs(Ignore.INSTANCE);
    assertThat(rule.decide(new SpeechEnded(2_000), false)).isSameAs(Ignore.INSTANCE);
    assertThat(immediate().decide(new SpeechStarted(0), false)).isSameAs(Ignore.INSTANCE);
  }

  @Test
  void confirmingModePausesThenInterruptsOnTheSatisfyingTranscript() {
    BargeInRule rule = confirming(2, 300);

    assertThat(rule.decide(new SpeechStarted(1_000), true)).isSameAs(PauseAudio.INSTANCE);
    assertThat(rule.decide(new SpeechStarted(1_010), true)).isSameAs(Ignore.INSTANCE);
    // One word is not enough.
    assertThat(rule.decide(interim("wait", 250, 1_250), true)).isSameAs(Ignore.INSTANCE);
    // Two words but too short.
    assertThat(rule.decide(interim("wait no", 290, 1_290), true)).isSameAs(Ignore.INSTANCE);
    // Both satisfied: interrupt, reporting when the speech began.
    assertThat(rule.decide(interim("wait no", 300, 1_300), true)).isEqualTo(new Interrupt(1_000));
  }

  @Test
  void wordsAndSpeechAccumulateAcrossFinalSegments() {
    BargeInRule rule = confirming(3, 400);

    assertThat(rule.decide(new SpeechStarted(0), true)).isSameAs(PauseAudio.INSTANCE);
    assertThat(rule.decide(fin("no", 200, 200), true)).isSameAs(Ignore.INSTANCE);
    assertThat(rule.decide(interim("not", 100, 400), true)).isSameAs(Ignore.INSTANCE);
    // "no" + "not that" = three words over 200 + 250 ms.
    assertThat(rule.decide(interim("not that", 250, 550), true)).isEqualTo(new Interrupt(0));
  }

  @Test
  void minimumSpeechAloneCanBeTheRule() {
    BargeInRule rule = confirming(0, 500);

    assertThat(rule.decide(new SpeechStarted(0), true)).isSameAs(PauseAudio.INSTANCE);
    assertThat(rule.decide(interim("stop", 400, 400), true)).isSameAs(Ignore.INSTANCE);
    assertThat(rule.decide(interim("stop", 500, 500), true)).isEqualTo(new Interrupt(0));
  }

  @Test
  void minimumWordsAloneCanBeTheRule() {
    BargeInRule rule = confirming(1, 0);

    assertThat(rule.decide(new SpeechStarted(0), true)).isSameAs(PauseAudio.INSTANCE);
    assertThat(rule.decide(interim("", 0, 100), true)).isSameAs(Ignore.INSTANCE);
    assertThat(rule.decide(interim("stop", 10, 110), true)).isEqualTo(new Interrupt(0));
  }

  @Test
  void aFinalBackchannelResumesWhateverItsCaseAndPunctuation() {
    for (String said : List.of("uh-huh", "Uh-huh.", "UH HUH!", "okay", "Okay...", "yeah, yeah")) {
      BargeInRule rule = confirming(1, 0);
      assertThat(rule.decide(new SpeechStarted(0), true)).isSameAs(PauseAudio.INSTANCE);
      assertThat(rule.decide(interim(said, 400, 400), true)).as(said).isSameAs(Ignore.INSTANCE);
      assertThat(rule.decide(fin(said, 400, 400), true)).as(said).isSameAs(ResumeAudio.INSTANCE);
      // Silence afterwards has nothing left to resume.
      assertThat(rule.decide(new SpeechEnded(900), true)).isSameAs(Ignore.INSTANCE);
    }
  }

  @Test
  void backchannelsMatchWholePhrasesOnly() {
    BargeInRule rule = confirming(1, 0);

    assertThat(rule.decide(new SpeechStarted(0), true)).isSameAs(PauseAudio.INSTANCE);
    // "okay so" is not a backchannel, and "rightly" is not "right".
    assertThat(rule.decide(interim("okay so", 300, 300), true)).isEqualTo(new Interrupt(0));

    BargeInRule other = confirming(1, 0);
    assertThat(other.decide(fin("rightly", 300, 300), true)).isEqualTo(new Interrupt(0));
  }

  @Test
  void aBackchannelThatGrowsIntoARealInterruptionInterrupts() {
    BargeInRule rule = confirming(2, 300);

    assertThat(rule.decide(new SpeechStarted(0), true)).isSameAs(PauseAudio.INSTANCE);
    assertThat(rule.decide(interim("okay", 300, 300), true)).isSameAs(Ignore.INSTANCE);
    assertThat(rule.decide(interim("okay but wait", 700, 700), true)).isEqualTo(new Interrupt(0));
  }

  @Test
  void silenceWithoutSatisfyingTheRuleResumes() {
    BargeInRule rule = confirming(3, 300);

    assertThat(rule.decide(new SpeechStarted(0), true)).isSameAs(PauseAudio.INSTANCE);
    assertThat(rule.decide(fin("no no", 600, 600), true)).isSameAs(Ignore.INSTANCE);
    assertThat(rule.decide(new SpeechEnded(1_600), true)).isSameAs(ResumeAudio.INSTANCE);
    // The next speech starts from scratch: "no" alone does not carry over.
    assertThat(rule.decide(new SpeechStarted(3_000), true)).isSameAs(PauseAudio.INSTANCE);
    assertThat(rule.decide(interim("stop", 300, 3_300), true)).isSameAs(Ignore.INSTANCE);
  }

  @Test
  void wordsWithoutSpeechStartedPauseUntilTheRuleDecides() {
    BargeInRule rule = confirming(3, 0);

    assertThat(rule.decide(interim("wait", 200, 200), true)).isSameAs(PauseAudio.INSTANCE);
    assertThat(rule.decide(interim("wait a", 300, 300), true)).isSameAs(Ignore.INSTANCE);
    assertThat(rule.decide(new SpeechStarted(10), true)).isSameAs(Ignore.INSTANCE);
    assertThat(rule.decide(new SpeechEnded(900), true)).isSameAs(ResumeAudio.INSTANCE);
    // An interim backchannel on its own does not pause.
    assertThat(rule.decide(interim("uh-huh", 200, 1_200), true)).isSameAs(Ignore.INSTANCE);
  }

  @Test
  void speechEndedWithoutAPauseIsIgnored() {
    assertThat(confirming(2, 300).decide(new SpeechEnded(10), true)).isSameAs(Ignore.INSTANCE);
  }

  @Test
  void aSatisfyingTranscriptInterruptsEvenWithoutSpeechStarted() {
    BargeInRule rule = confirming(2, 300);

    assertThat(rule.decide(fin("hold on", 400, 2_400), true)).isEqualTo(new Interrupt(2_000));
  }

  @Test
  void hindiBackchannelsResumeAndHindiSentencesInterrupt() {
    BargeInRule rule = confirming(2, 300);
    assertThat(rule.decide(new SpeechStarted(0), true)).isSameAs(PauseAudio.INSTANCE);
    assertThat(rule.decide(fin("हाँ।", 300, 300), true)).isSameAs(ResumeAudio.INSTANCE);

    // Two backchannels back to back are still a backchannel.
    assertThat(rule.decide(new SpeechStarted(1_000), true)).isSameAs(PauseAudio.INSTANCE);
    assertThat(rule.decide(fin("हाँ जी", 500, 1_500), true)).isSameAs(ResumeAudio.INSTANCE);

    assertThat(rule.decide(new SpeechStarted(2_000), true)).isSameAs(PauseAudio.INSTANCE);
    assertThat(rule.decide(interim("रुकिए", 300, 2_300), true)).isSameAs(Ignore.INSTANCE);
    assertThat(rule.decide(interim("रुकिए, मेरी बात सुनिए", 900, 2_900), true))
        .isEqualTo(new Interrupt(2_000));
  }

  @Test
  void hindiMatchingIgnoresHowTheTextIsComposed() {
    // "क़" may arrive precomposed (U+0958) or as क plus nukta; both are the same word.
    BargeInRule rule =
        new BargeInRule(new Settings(1, 0, List.of("\u0915\u093C\u093F\u0938\u094D\u092E\u0924")));
    assertThat(rule.decide(new SpeechStarted(0), true)).isSameAs(PauseAudio.INSTANCE);
    assertThat(rule.decide(fin("\u0958\u093F\u0938\u094D\u092E\u0924!", 300, 300), true))
        .isSameAs(ResumeAudio.INSTANCE);
    assertThat(BargeInRule.tokens("हाँ, जी।")).containsExactly("हाँ", "जी");
  }

  @Test
  void aFinalBackchannelIsNotCountedTowardsALaterInterruption() {
    BargeInRule rule = confirming(2, 0);

    assertThat(rule.decide(fin("okay", 200, 200), true)).isSameAs(Ignore.INSTANCE);
    assertThat(rule.decide(fin("stop", 200, 400), true)).isSameAs(PauseAudio.INSTANCE);
    assertThat(rule.decide(interim("now", 100, 500), true)).isEqualTo(new Interrupt(200));
  }

  @Test
  void wordsAreCountedAsSpoken() {
    assertThat(BargeInRule.wordCount("uh-huh")).isEqualTo(1);
    assertThat(BargeInRule.wordCount("  wait  - no ")).isEqualTo(2);
    assertThat(BargeInRule.wordCount("रुकिए, मेरी बात सुनिए।")).isEqualTo(4);
    assertThat(BargeInRule.wordCount("")).isZero();
    assertThat(BargeInRule.tokens("Uh-Huh.")).containsExactly("uh", "huh");
  }

  @Test
  void settingsAreValidated() {
    assertThatThrownBy(() -> new Settings(-1, 0, List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Settings(0, -1, List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void decisionsAreASealedSet() {
    Decision decision = confirming(1, 0).decide(new SpeechStarted(0), true);
    String name =
        switch (decision) {
          case Ignore i -> "ignore";
          case PauseAudio p -> "pause";
          case ResumeAudio r -> "resume";
          case Interrupt i -> "interrupt";
        };
    assertThat(name).isEqualTo("pause");
  }
}
