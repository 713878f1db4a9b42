package io.parley.stt;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Deepgram's server messages (PROTOCOLS.md 2.4) as the adapter reads them. */
class DeepgramMessageTest {

  private static final String FINAL =
      """
      {"type":"Results","channel_index":[0,1],"duration":1.02,"start":3.5,"is_final":true,
       "speech_final":true,"from_finalize":false,
       "channel":{"alternatives":[{"transcript":"Book a table.","confidence":0.98,
         "words":[
           {"word":"book","start":3.52,"end":3.8,"confidence":0.99,"punctuated_word":"Book"},
           {"word":"a","start":3.8,"end":3.9,"confidence":0.97,"punctuated_word":"a"},
           {"word":"table","start":3.95,"end":4.52,"confidence":0.96,"punctuated_word":"table."}]}]},
       "metadata":{"request_id":"r-1","model_uuid":"m","model_info":{"name":"nova-3","version":"1","arch":"nova-3"}}}
      """;

  @Test
  void aFinalResultWithSpeechFinalBecomesAFinalOnTheCallsTimeline() {
    DeepgramMessage.Results results = (DeepgramMessage.Results) DeepgramMessage.parse(FINAL);

    assertThat(results.isFinal()).isTrue();
    assertThat(results.speechFinal()).isTrue();
    assertThat(results.startMs()).isEqualTo(3500);
    assertThat(results.endMs()).isEqualTo(4520);

    SttEvent.Final event = (SttEvent.Final) results.event(10_000).orElseThrow();
    assertThat(event.text()).isEqualTo("Book a table.");
    assertThat(event.speechFinal()).isTrue();
    assertThat(event.startMs()).isEqualTo(13_500);
    assertThat(event.endMs()).isEqualTo(14_520);
    assertThat(event.words())
        .containsExactly(
            new SttEvent.Word("book", "Book", 13_520, 13_800, 0.99),
            new SttEvent.Word("a", "a", 13_800, 13_900, 0.97),
            new SttEvent.Word("table", "table.", 13_950, 14_520, 0.96));
  }

  @Test
  void anInterimResultBecomesAPartialWithItsConfidence() {
    String interim =
        """
        {"type":"Results","start":0.2,"duration":0.4,"is_final":false,"speech_final":false,
         "channel":{"alternatives":[{"transcript":"book a","confidence":0.8,
           "words":[{"word":"book","start":0.2,"end":0.45,"confidence":0.8}]}]}}
        """;

    SttEvent event = ((DeepgramMessage.Results) DeepgramMessage.parse(interim)).event(0).get();

    assertThat(event)
        .isEqualTo(
            new SttEvent.Partial(
                "book a", List.of(new SttEvent.Word("book", "book", 200, 450, 0.8)), 0.8));
  }

  @Test
  void emptyTranscriptsAreOnlyReportedWhenTheyEndTheUtterance() {
    String emptyInterim = results(false, false, "");
    String emptyFinal = results(true, false, "");
    String emptySpeechFinal = results(true, true, "");

    assertThat(((DeepgramMessage.Results) DeepgramMessage.parse(emptyInterim)).event(0)).isEmpty();
    DeepgramMessage.Results silence = (DeepgramMessage.Results) DeepgramMessage.parse(emptyFinal);
    assertThat(silence.event(0)).isEmpty();
    assertThat(silence.endMs()).isEqualTo(3000);
    assertThat(((DeepgramMessage.Results) DeepgramMessage.parse(emptySpeechFinal)).event(0))
        .containsInstanceOf(SttEvent.Final.class);
  }

  @Test
  void aFinalizeResultIsMarked() {
    DeepgramMessage.Results r =
        (DeepgramMessage.Results)
            DeepgramMessage.parse(
                """
                {"type":"Results","start":0,"duration":1,"is_final":true,"speech_final":false,
                 "from_finalize":true,"channel":{"alternatives":[{"transcript":"hello"}]}}
                """);
    assertThat(r.fromFinalize()).isTrue();
    assertThat(r.event(0)).contains(new SttEvent.Final("hello", List.of(), false, 0, 1000));
  }

  @Test
  void speechStartedUtteranceEndAndMetadata() {
    assertThat(
            DeepgramMessage.parse(
                "{\"type\":\"SpeechStarted\",\"channel\":[0],\"timestamp\":1.23}"))
        .isEqualTo(new DeepgramMessage.SpeechStarted(1230));
    assertThat(
            DeepgramMessage.parse(
                "{\"type\":\"UtteranceEnd\",\"channel\":[0,1],\"last_word_end\":3.1}"))
        .isEqualTo(new DeepgramMessage.UtteranceEnd(3100));
    assertThat(
            DeepgramMessage.parse(
                """
                {"type":"Metadata","transaction_key":"deprecated","request_id":"abc",
                 "sha256":"00","created":"2026-01-01T00:00:00Z","duration":12.5,"channels":1}
                """))
        .isEqualTo(new DeepgramMessage.Metadata("abc", 12_500));
  }

  @Test
  void unknownTypesAndGarbageAreIgnoredNotFatal() {
    assertThat(DeepgramMessage.parse("{\"type\":\"Warning\",\"description\":\"x\"}"))
        .isEqualTo(new DeepgramMessage.Other("Warning"));
    assertThat(DeepgramMessage.parse("{\"no\":\"type\"}")).isEqualTo(new DeepgramMessage.Other(""));
    assertThat(DeepgramMessage.parse("not json")).isInstanceOf(DeepgramMessage.Unreadable.class);
    assertThat(DeepgramMessage.parse("[1,2]")).isInstanceOf(DeepgramMessage.Unreadable.class);
  }

  @Test
  void aResultWithoutAlternativesIsAnEmptyTranscript() {
    DeepgramMessage.Results r =
        (DeepgramMessage.Results)
            DeepgramMessage.parse("{\"type\":\"Results\",\"is_final\":false,\"channel\":{}}");
    assertThat(r.transcript()).isEmpty();
    assertThat(r.words()).isEmpty();
    assertThat(r.event(0)).isEmpty();
  }

  private static String results(boolean isFinal, boolean speechFinal, String transcript) {
    return """
        {"type":"Results","start":2.0,"duration":1.0,"is_final":%s,"speech_final":%s,
         "channel":{"alternatives":[{"transcript":"%s","confidence":0,"words":[]}]}}
        """
        .formatted(isFinal, speechFinal, transcript);
  }
}
