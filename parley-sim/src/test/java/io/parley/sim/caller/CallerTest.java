package io.parley.sim.caller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.parley.sim.AppServer;
import io.parley.sim.CallHandle;
import io.parley.sim.MediaApp;
import io.parley.sim.Sim;
import io.parley.sim.SimClock;
import io.parley.sim.SimConfig;
import io.parley.sim.audio.EmissionLog;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Inbound calls end to end: voice webhook, TwiML, a Media Stream with a scripted caller. */
class CallerTest {
  private static final String AGENT = "+15550001000";
  private static final String CALLER = "+15557654321";

  private final AppServer app = new AppServer();
  private final MediaApp media = new MediaApp();
  private Sim sim;

  @AfterEach
  void stop() {
    sim.close();
    media.close();
    app.close();
  }

  private Sim start(SimClock clock) {
    sim = Sim.start(SimConfig.defaults().withClock(clock));
    sim.number(AGENT).voiceUrl(app.url("/voice"));
    app.answer(
        "/voice",
        "<Response><Connect action=\""
            + app.url("/after")
            + "\"><Stream url=\""
            + media.wsUrl()
            + "\" statusCallback=\""
            + app.url("/stream-status")
            + "\"><Parameter name=\"callId\" value=\"abc\"/></Stream></Connect></Response>");
    return sim;
  }

  private static void sendFrames(MediaApp.Stream stream, byte[] audio) {
    for (int at = 0; at < audio.length; at += 160) {
      stream.sendAudio(Arrays.copyOfRange(audio, at, Math.min(audio.length, at + 160)));
    }
  }

  @Test
  void aScriptedCallerTalksWithTheAppAndHearsItsGreeting() throws Exception {
    start(SimClock.system());
    media.behaviour(
        new MediaApp.Behaviour() {
          @Override
          public void started(MediaApp.Stream stream) {
            EmissionLog.Emission greeting =
                sim.emissions().emit("test", "Hello how can I help you");
            sendFrames(stream, greeting.audio());
            stream.mark("greeting");
          }
        });
    CallHandle call =
        sim.placeCall(
            CALLER,
            AGENT,
            CallerScript.of(
                new CallerScript.Say("I would like to book a table"),
                new CallerScript.Hangup(Duration.ofMillis(300))));
    assertThat(call.awaitEnd(Duration.ofSeconds(20))).isTrue();

    assertThat(call.status()).isEqualTo("completed");
    assertThat(call.errors()).isEmpty();
    AppServer.Hit voice = app.hits("/voice").getFirst();
    assertThat(voice.params().get("CallStatus")).isEqualTo("ringing");
    assertThat(voice.params().get("Direction")).isEqualTo("inbound");
    assertThat(voice.params().get("From")).isEqualTo(CALLER);

    MediaApp.Stream stream = media.streams.getFirst();
    assertThat(stream.events.getFirst()).isEqualTo("connected");
    assertThat(stream.events.get(1)).isEqualTo("start");
    await().atMost(Duration.ofSeconds(5)).until(() -> stream.events.getLast().equals("stop"));
    assertThat(stream.start.path("sequenceNumber").asString()).isEqualTo("1");
    assertThat(stream.start.path("start").path("callSid").asString()).isEqualTo(call.sid());
    assertThat(stream.start.path("start").path("mediaFormat").path("encoding").asString())
        .isEqualTo("audio/x-mulaw");
    assertThat(call.customParameters()).isEqualTo(Map.of("callId", "abc"));

    assertThat(stream.words).containsExactly("I", "would", "like", "to", "book", "a", "table");
    assertThat(call.heardText()).isEqualTo("Hello how can I help you");
    CallMedia.Mark mark = call.marks().getFirst();
    assertThat(mark.name()).isEqualTo("greeting");
    assertThat(stream.marks).containsExactly("greeting");
    long greetingMillis = sim.emissions().emissions().getFirst().audio().length / 8;
    // The mark comes back once the greeting has played at real time: playout starts with the
    // first frame's arrival, so measure from there (generous tolerance: a loaded machine delays
    // the sender, never the playout clock). Order is what matters: never before the last frame.
    long firstFrameAt = call.received().getFirst().atMillis();
    assertThat(mark.echoedAtMillis()).isGreaterThanOrEqualTo(mark.receivedAtMillis());
    assertThat(mark.echoedAtMillis() - firstFrameAt)
        .isBetween(greetingMillis - 150, greetingMillis + 500);
    // the caller waited for the agent to stop before speaking
    assertThat(call.said().getFirst().atMillis()).isGreaterThanOrEqualTo(mark.echoedAtMillis());
    assertThat(app.hits("/stream-status"))
        .extracting(h -> h.params().get("StreamEvent"))
        .containsExactly("stream-started", "stream-stopped");
    assertThat(app.hits("/stream-status").getFirst().params().get("StreamSid"))
        .isEqualTo(call.streamSids().getFirst());
    // the caller hung up, so the <Connect> action was not requested
    assertThat(app.hits("/after")).isEmpty();
  }

  @Test
  void aDroppedFrameLosesItsWord() throws Exception {
    start(SimClock.system());
    // chunk 10 is 180-200 ms into the call, inside the first word
    media.dropChunk(10);
    CallHandle call =
        sim.placeCall(
            CALLER,
            AGENT,
            CallerScript.of(
                new CallerScript.Say("one two three four", new CallerScript.Now()),
                new CallerScript.Hangup(Duration.ofMillis(200))));
    assertThat(call.awaitEnd(Duration.ofSeconds(10))).isTrue();
    assertThat(media.streams.getFirst().words).containsExactly("two", "three", "four");
  }

  @Test
  void aClearDropsUnplayedAudioAndEchoesPendingMarks() throws Exception {
    start(SimClock.system());
    String sentence =
        "this is a rather long answer that the caller will not hear to the end at all";
    media.behaviour(
        new MediaApp.Behaviour() {
          @Override
          public void started(MediaApp.Stream stream) {
            sendFrames(stream, sim.emissions().emit("test", sentence).audio());
            stream.mark("answer");
          }

          @Override
          public void media(MediaApp.Stream stream, int chunk, byte[] audio) {
            if (stream.words.contains("wait") && !stream.events.contains("cleared")) {
              stream.events.add("cleared");
              stream.clear();
            }
          }
        });
    CallHandle call =
        sim.placeCall(
            CALLER,
            AGENT,
            CallerScript.of(
                new CallerScript.Say(
                    "wait",
                    new CallerScript.IntoAgentReply(Duration.ofMillis(800), Duration.ofSeconds(5))),
                new CallerScript.Hangup(Duration.ofMillis(300))));
    assertThat(call.awaitEnd(Duration.ofSeconds(15))).isTrue();
    assertThat(call.clears()).hasSize(1);
    CallMedia.Mark mark = call.marks().getFirst();
    assertThat(mark.byClear()).isTrue();
    assertThat(mark.echoedAtMillis()).isEqualTo(call.clears().getFirst());
    String heard = call.heardText();
    assertThat(heard).isNotEmpty();
    assertThat(sentence).startsWith(heard);
    assertThat(heard.length()).isLessThan(sentence.length() / 2);
  }

  @Test
  void aWavHeaderInOutboundMediaIsAnErrorOnTheCall() throws Exception {
    start(SimClock.system());
    media.behaviour(
        new MediaApp.Behaviour() {
          @Override
          public void started(MediaApp.Stream stream) {
            byte[] wav = new byte[160];
            System.arraycopy("RIFF\0\0\0\0WAVE".getBytes(StandardCharsets.US_ASCII), 0, wav, 0, 12);
            stream.sendAudio(wav);
            stream.close();
          }
        });
    CallHandle call = sim.placeCall(CALLER, AGENT, CallerScript.silent());
    assertThat(call.awaitEnd(Duration.ofSeconds(10))).isTrue();
    assertThat(call.errors()).anyMatch(e -> e.contains("RIFF"));
    // the app closed the stream, so Twilio requested the <Connect> action
    await().atMost(Duration.ofSeconds(5)).until(() -> app.hits("/after").size() == 1);
  }

  @Test
  void executesSayRedirectAndDialWithoutAStream() throws Exception {
    start(SimClock.system());
    app.answer(
        "/voice",
        "<Response><Say>Please hold</Say><Redirect>" + app.url("/two") + "</Redirect></Response>");
    app.answer("/two", "<Response><Dial><Number>+15551112222</Number></Dial><Hangup/></Response>");
    CallHandle call = sim.placeCall(CALLER, AGENT, CallerScript.silent());
    assertThat(call.awaitEnd(Duration.ofSeconds(10))).isTrue();
    assertThat(call.dialed()).containsExactly("+15551112222");
    assertThat(app.hits("/two")).hasSize(1);
    assertThat(call.status()).isEqualTo("completed");
  }

  @Test
  void anUnreachableVoiceUrlFallsBackToTheNumbersFallbackUrl() throws Exception {
    sim =
        Sim.start(
            SimConfig.defaults()
                .withTwilio(
                    io.parley.sim.twilio.TwilioConfig.defaults()
                        .withNumbers(
                            List.of(
                                new io.parley.sim.twilio.TwilioConfig.PhoneNumber(
                                    AGENT,
                                    "http://127.0.0.1:1/voice",
                                    null,
                                    app.url("/fallback"))))));
    app.answer("/fallback", "<Response><Dial>+15553334444</Dial></Response>");
    CallHandle call = sim.placeCall(CALLER, AGENT, CallerScript.silent());
    assertThat(call.awaitEnd(Duration.ofSeconds(10))).isTrue();
    assertThat(call.errors()).anyMatch(e -> e.startsWith("11200"));
    assertThat(call.dialed()).containsExactly("+15553334444");
  }

  @Test
  void anOutboundCallPlaysTheDestinationsScript() throws Exception {
    sim =
        Sim.start(
            SimConfig.defaults()
                .withTwilio(
                    io.parley.sim.twilio.TwilioConfig.defaults()
                        .withDestinations(
                            Map.of(
                                CALLER,
                                io.parley.sim.twilio.TwilioConfig.Destination.answer(
                                    Duration.ofMillis(50),
                                    CallerScript.of(
                                        new CallerScript.Say(
                                            "hello who is this", new CallerScript.Now()),
                                        new CallerScript.Hangup(Duration.ofMillis(100))))))));
    app.answer(
        "/answer",
        "<Response><Connect><Stream url=\"" + media.wsUrl() + "\"/></Connect></Response>");
    String auth =
        java.util.Base64.getEncoder()
            .encodeToString(
                (sim.twilio().accountSid() + ":" + sim.twilio().authToken())
                    .getBytes(StandardCharsets.UTF_8));
    var response =
        java.net.http.HttpClient.newBuilder()
            .version(java.net.http.HttpClient.Version.HTTP_1_1)
            .build()
            .send(
                java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(
                            sim.twilioApiUrl()
                                + "/2010-04-01/Accounts/"
                                + sim.twilio().accountSid()
                                + "/Calls.json"))
                    .header("Authorization", "Basic " + auth)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(
                        java.net.http.HttpRequest.BodyPublishers.ofString(
                            io.parley.sim.http.Params.of(
                                    Map.of("To", CALLER, "From", AGENT, "Url", app.url("/answer")))
                                .encode()))
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(201);
    String sid = io.parley.sim.Json.parse(response.body()).path("sid").asString();
    CallHandle call = sim.call(sid);
    assertThat(call.awaitEnd(Duration.ofSeconds(10))).isTrue();
    assertThat(media.streams.getFirst().words).containsExactly("hello", "who", "is", "this");
    assertThat(call.status()).isEqualTo("completed");
  }

  @Test
  void marksAndFramesKeepExactTimeOnAVirtualClock() throws Exception {
    SimClock.Virtual clock = new SimClock.Virtual();
    start(clock);
    media.behaviour(
        new MediaApp.Behaviour() {
          @Override
          public void started(MediaApp.Stream stream) {
            sendFrames(stream, sim.emissions().emit("test", "one two").audio());
            stream.mark("m");
          }
        });
    CallHandle call = sim.placeCall(CALLER, AGENT, CallerScript.silent());
    await().atMost(Duration.ofSeconds(5)).until(() -> !call.received().isEmpty());
    int expectedFrames = (sim.emissions().emissions().getFirst().audio().length + 159) / 160;
    await().atMost(Duration.ofSeconds(5)).until(() -> call.received().size() == expectedFrames);
    Thread.sleep(200);
    long audioMillis = sim.emissions().emissions().getFirst().audio().length / 8;
    // step the clock from deadline to deadline, letting the caller's threads (frame sender and
    // mark timer) go back to sleep before the next step, so every event happens at its exact time
    for (int i = 0; i < 200 && call.marks().isEmpty(); i++) {
      clock.advanceToNextDeadline(Duration.ofSeconds(5));
      await()
          .pollInterval(Duration.ofMillis(1))
          .atMost(Duration.ofSeconds(5))
          .until(() -> clock.sleepers() >= 2 || (clock.sleepers() >= 1 && !call.marks().isEmpty()));
    }
    CallMedia.Mark mark = call.marks().getFirst();
    assertThat(mark.receivedAtMillis()).isZero();
    assertThat(mark.echoedAtMillis()).isEqualTo(audioMillis);
    // frames go out every 20 ms of sim time: at t = 0, 20, ... up to the echo
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                media.streams.getFirst().events.stream().filter("media"::equals).count()
                    == audioMillis / 20 + 1);
    call.hangUp();
    assertThat(call.awaitEnd(Duration.ofSeconds(5))).isTrue();
    assertThat(List.of(call.status())).containsExactly("completed");
  }
}
