package io.parley.sim.twilio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.twilio.exception.ApiException;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.account.Call;
import com.twilio.rest.api.v2010.account.CallReader;
import com.twilio.rest.api.v2010.account.IncomingPhoneNumber;
import com.twilio.rest.api.v2010.account.call.Recording;
import com.twilio.security.RequestValidator;
import com.twilio.type.PhoneNumber;
import io.parley.sim.AppServer;
import io.parley.sim.Fault;
import io.parley.sim.Faults;
import io.parley.sim.Sim;
import io.parley.sim.SimConfig;
import io.parley.sim.http.Params;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Twilio simulator, driven by the official twilio-java client and checked by its validator. */
class TwilioSimTest {
  private static final String AGENT = "+15550001000";
  private static final String PERSON = "+15557654321";
  private static final String BUSY = "+15550000486";
  private static final String NOBODY = "+15550000408";
  private static final String MACHINE = "+15550000999";

  private final AppServer app = new AppServer();
  private Sim sim;
  private TwilioRestClient client;
  private RequestValidator validator;

  @BeforeEach
  void start() {
    TwilioConfig twilio =
        TwilioConfig.defaults()
            .withNumbers(
                List.of(new TwilioConfig.PhoneNumber(AGENT, app.url("/voice"), null, null)))
            .withDestinations(
                Map.of(
                    PERSON, TwilioConfig.Destination.answer(Duration.ofMillis(50), null),
                    BUSY,
                        TwilioConfig.Destination.of(
                            TwilioConfig.Outcome.BUSY, Duration.ofMillis(50)),
                    NOBODY,
                        TwilioConfig.Destination.of(
                            TwilioConfig.Outcome.NO_ANSWER, Duration.ofMillis(50)),
                    MACHINE,
                        TwilioConfig.Destination.machine(
                            "machine_end_beep", Duration.ofMillis(100))));
    sim = Sim.start(SimConfig.defaults().withTwilio(twilio));
    client =
        new TwilioRestClient.Builder(sim.twilio().accountSid(), sim.twilio().authToken())
            .httpClient(new RewritingTwilioHttpClient(sim.twilioApiUrl()))
            .build();
    validator = new RequestValidator(sim.twilio().authToken());
    app.answer("/answer", "<Response><Pause length=\"1\"/></Response>");
  }

  @AfterEach
  void stop() {
    sim.close();
    app.close();
  }

  private Call dial(String to) {
    return Call.creator(new PhoneNumber(to), new PhoneNumber(AGENT), URI.create(app.url("/answer")))
        .setStatusCallback(app.url("/status"))
        .setStatusCallbackEvent(List.of("initiated", "ringing", "answered", "completed"))
        .create(client);
  }

  private void assertSigned(AppServer.Hit hit) {
    Map<String, String> params = new HashMap<>(hit.params().asMap());
    String url = app.url(hit.path()) + (hit.query() == null ? "" : "?" + hit.query());
    assertThat(validator.validate(url, params, hit.signature())).as("signature of " + url).isTrue();
  }

  @Test
  void createsFetchesListsAndHangsUpACall() {
    app.answer("/answer", "<Response><Pause length=\"30\"/></Response>");
    Call created = dial(PERSON);
    assertThat(created.getSid()).startsWith("CA").hasSize(34);
    assertThat(created.getStatus()).isEqualTo(Call.Status.QUEUED);
    assertThat(created.getTo()).isEqualTo(PERSON);

    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                Call.fetcher(created.getSid()).fetch(client).getStatus()
                    == Call.Status.IN_PROGRESS);
    List<String> live = new ArrayList<>();
    Call.reader()
        .setStatus(Call.Status.IN_PROGRESS)
        .read(client)
        .forEach(c -> live.add(c.getSid()));
    assertThat(live).containsExactly(created.getSid());

    Call.updater(created.getSid()).setStatus(Call.UpdateStatus.COMPLETED).update(client);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                Call.fetcher(created.getSid()).fetch(client).getStatus() == Call.Status.COMPLETED);
    Call done = Call.fetcher(created.getSid()).fetch(client);
    assertThat(done.getDuration()).isNotNull();
    assertThat(done.getStartTime()).isNotNull();
    assertThat(done.getEndTime()).isNotNull();
  }

  @Test
  void listsCallsByToAndStartTime() {
    app.answer("/answer", "<Response><Pause length=\"30\"/></Response>");
    Call answered = dial(PERSON);
    Call busy = dial(BUSY);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                Call.fetcher(answered.getSid()).fetch(client).getStatus() == Call.Status.IN_PROGRESS
                    && Call.fetcher(busy.getSid()).fetch(client).getStatus() == Call.Status.BUSY);
    ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);

    // twilio-java sends StartTime>=… and StartTime<=… as date-times in UTC
    assertThat(sids(Call.reader().setTo(PERSON).setStartTimeAfter(now.minusMinutes(1))))
        .containsExactly(answered.getSid());
    assertThat(
            sids(
                Call.reader()
                    .setTo(PERSON)
                    .setStartTimeAfter(now.minusMinutes(1))
                    .setStartTimeBefore(now.plusMinutes(1))))
        .containsExactly(answered.getSid());
    assertThat(sids(Call.reader().setTo(PERSON).setStartTimeBefore(now.minusMinutes(1)))).isEmpty();
    assertThat(sids(Call.reader().setTo(PERSON).setStartTimeAfter(now.plusMinutes(1)))).isEmpty();
    // the date form: started on this UTC date
    assertThat(sids(Call.reader().setStartTime(now.truncatedTo(ChronoUnit.DAYS))))
        .containsExactly(answered.getSid());
    assertThat(sids(Call.reader().setStartTime(now.minusDays(1)))).isEmpty();
    // a call that never started (busy) has no start_time: no StartTime filter matches it
    assertThat(sids(Call.reader().setTo(BUSY))).containsExactly(busy.getSid());
    assertThat(sids(Call.reader().setTo(BUSY).setStartTimeAfter(now.minusDays(1)))).isEmpty();
  }

  @Test
  void aStartTimeThatIsNotADateIsRefused() throws Exception {
    String auth =
        Base64.getEncoder()
            .encodeToString(
                (sim.twilio().accountSid() + ":" + sim.twilio().authToken()).getBytes());
    HttpResponse<String> response =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .build()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            sim.twilioApiUrl()
                                + "/2010-04-01/Accounts/"
                                + sim.twilio().accountSid()
                                + "/Calls.json?StartTime%3E=yesterday"))
                    .header("Authorization", "Basic " + auth)
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).contains("StartTime");
  }

  private List<String> sids(CallReader reader) {
    List<String> sids = new ArrayList<>();
    reader.read(client).forEach(c -> sids.add(c.getSid()));
    return sids;
  }

  @Test
  void sendsSignedStatusCallbacksInSequence() {
    Call call = dial(PERSON);
    await().atMost(Duration.ofSeconds(5)).until(() -> app.hits("/status").size() == 4);
    List<AppServer.Hit> hits = app.hits("/status");
    assertThat(hits)
        .extracting(h -> h.params().get("CallStatus"))
        .containsExactly("initiated", "ringing", "in-progress", "completed");
    assertThat(hits)
        .extracting(h -> h.params().get("SequenceNumber"))
        .containsExactly("0", "1", "2", "3");
    assertThat(hits)
        .allSatisfy(h -> assertThat(h.params().get("CallSid")).isEqualTo(call.getSid()));
    assertThat(hits.getLast().params().get("CallDuration")).isNotNull();
    hits.forEach(this::assertSigned);
    AppServer.Hit answer = app.hits("/answer").getFirst();
    assertSigned(answer);
    assertThat(answer.params().get("CallStatus")).isEqualTo("in-progress");
    assertThat(answer.params().get("Direction")).isEqualTo("outbound-api");
  }

  @Test
  void aTamperedWebhookFailsValidation() {
    dial(PERSON);
    await().atMost(Duration.ofSeconds(5)).until(() -> app.hits("/answer").size() == 1);
    AppServer.Hit hit = app.hits("/answer").getFirst();
    Map<String, String> params = new HashMap<>(hit.params().asMap());
    params.put("To", "+15559999999");
    assertThat(validator.validate(app.url("/answer"), params, hit.signature())).isFalse();
    assertThat(validator.validate(app.url("/answer"), hit.params().asMap(), hit.signature()))
        .isTrue();
  }

  @Test
  void signsRepeatedKeysAndMatchesTheReferenceVector() {
    Map<String, String> params = new java.util.LinkedHashMap<>();
    params.put("Digits", "1234");
    params.put("CallSid", "CA1234567890ABCDE");
    params.put("To", "+18005551212");
    params.put("Caller", "+14158675309");
    params.put("From", "+14158675309");
    assertThat(
            TwilioSignature.sign(
                "12345", "https://mycompany.com/myapp.php?foo=1&bar=2", Params.of(params)))
        .isEqualTo("RSOYDt4T1cUTdK1PDd93/VVr8B8=");
  }

  @Test
  void busyAndNoAnswerEndWithTheirStatus() {
    Call busy = dial(BUSY);
    // busy: initiated, ringing, busy; no-answer subscribed to nothing, so only its terminal status
    Call nobody =
        Call.creator(
                new PhoneNumber(NOBODY), new PhoneNumber(AGENT), URI.create(app.url("/answer")))
            .setStatusCallback(app.url("/status"))
            .setTimeout(1)
            .create(client);
    await().atMost(Duration.ofSeconds(5)).until(() -> app.hits("/status").size() == 4);
    Map<String, String> terminal = new HashMap<>();
    app.hits("/status").stream()
        .filter(h -> h.params().get("CallDuration") != null)
        .forEach(h -> terminal.put(h.params().get("CallSid"), h.params().get("CallStatus")));
    assertThat(terminal)
        .containsEntry(busy.getSid(), "busy")
        .containsEntry(nobody.getSid(), "no-answer");
    // the busy call was never answered, so its TwiML was never requested
    assertThat(app.hits("/answer")).isEmpty();
  }

  @Test
  void synchronousDetectionAddsAnsweredByToTheAnswerWebhook() {
    Call.creator(new PhoneNumber(MACHINE), new PhoneNumber(AGENT), URI.create(app.url("/answer")))
        .setMachineDetection("DetectMessageEnd")
        .create(client);
    await().atMost(Duration.ofSeconds(5)).until(() -> app.hits("/answer").size() == 1);
    assertThat(app.hits("/answer").getFirst().params().get("AnsweredBy"))
        .isEqualTo("machine_end_beep");
  }

  @Test
  void asynchronousDetectionCallsBackWithTheDuration() {
    Call call =
        Call.creator(
                new PhoneNumber(MACHINE), new PhoneNumber(AGENT), URI.create(app.url("/answer")))
            .setMachineDetection("Enable")
            .setAsyncAmd("true")
            .setAsyncAmdStatusCallback(app.url("/amd"))
            .create(client);
    await().atMost(Duration.ofSeconds(5)).until(() -> app.hits("/amd").size() == 1);
    AppServer.Hit amd = app.hits("/amd").getFirst();
    assertThat(amd.params().get("AnsweredBy")).isEqualTo("machine_start");
    assertThat(amd.params().get("MachineDetectionDuration")).isEqualTo("100");
    assertThat(amd.params().get("CallSid")).isEqualTo(call.getSid());
    assertSigned(amd);
    // asynchronous detection does not hold the TwiML back
    assertThat(app.hits("/answer").getFirst().params().get("AnsweredBy")).isNull();
  }

  @Test
  void redirectsALiveCallToNewTwiml() {
    app.answer("/answer", "<Response><Pause length=\"30\"/></Response>");
    app.answer("/next", "<Response><Dial>+15551112222</Dial></Response>");
    Call call = dial(PERSON);
    await().atMost(Duration.ofSeconds(5)).until(() -> app.hits("/answer").size() == 1);
    Call.updater(call.getSid()).setUrl(URI.create(app.url("/next"))).update(client);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> sim.call(call.getSid()).status().equals("completed"));
    assertThat(sim.call(call.getSid()).dialed()).containsExactly("+15551112222");
  }

  @Test
  void rejectsAnInvalidToNumber() {
    assertThatThrownBy(
            () ->
                Call.creator(
                        new PhoneNumber("12"),
                        new PhoneNumber(AGENT),
                        URI.create(app.url("/answer")))
                    .create(client))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(21211);
              assertThat(e.getStatusCode()).isEqualTo(400);
            });
  }

  @Test
  void rejectsWrongCredentials() {
    TwilioRestClient wrong =
        new TwilioRestClient.Builder(sim.twilio().accountSid(), "not-the-token")
            .httpClient(new RewritingTwilioHttpClient(sim.twilioApiUrl()))
            .build();
    assertThatThrownBy(() -> Call.reader().read(wrong).iterator().hasNext())
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getCode()).isEqualTo(20003));
  }

  @Test
  void unknownCallsAre20404() {
    assertThatThrownBy(() -> Call.fetcher("CA" + "f".repeat(32)).fetch(client))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(20404);
              assertThat(e.getStatusCode()).isEqualTo(404);
            });
  }

  @Test
  void rateLimitFaultAnswers20429() {
    sim.faults().set(Faults.Target.TWILIO, new Fault.ErrorStatus(429));
    assertThatThrownBy(() -> Call.fetcher("CA" + "f".repeat(32)).fetch(client))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getCode()).isEqualTo(20429));
    sim.faults().clear();
  }

  @Test
  void listsAndUpdatesIncomingNumbers() {
    List<IncomingPhoneNumber> numbers = new ArrayList<>();
    IncomingPhoneNumber.reader().read(client).forEach(numbers::add);
    assertThat(numbers).hasSize(1);
    assertThat(numbers.getFirst().getPhoneNumber().toString()).isEqualTo(AGENT);
    IncomingPhoneNumber.updater(numbers.getFirst().getSid())
        .setVoiceUrl(URI.create(app.url("/voice2")))
        .update(client);
    List<IncomingPhoneNumber> after = new ArrayList<>();
    IncomingPhoneNumber.reader().read(client).forEach(after::add);
    assertThat(after.getFirst().getVoiceUrl().toString()).isEqualTo(app.url("/voice2"));
  }

  @Test
  void recordsAnInProgressCallAndServesTheWav() throws Exception {
    app.answer("/answer", "<Response><Pause length=\"30\"/></Response>");
    Call call = dial(PERSON);
    await().atMost(Duration.ofSeconds(5)).until(() -> app.hits("/answer").size() == 1);
    Recording recording =
        Recording.creator(call.getSid())
            .setRecordingStatusCallback(URI.create(app.url("/rec")))
            .create(client);
    assertThat(recording.getSid()).startsWith("RE");
    Thread.sleep(300);
    Call.updater(call.getSid()).setStatus(Call.UpdateStatus.COMPLETED).update(client);
    await().atMost(Duration.ofSeconds(5)).until(() -> app.hits("/rec").size() == 1);
    AppServer.Hit rec = app.hits("/rec").getFirst();
    assertSigned(rec);
    assertThat(rec.params().get("RecordingStatus")).isEqualTo("completed");
    String auth =
        "Basic "
            + Base64.getEncoder()
                .encodeToString(
                    (sim.twilio().accountSid() + ":" + sim.twilio().authToken()).getBytes());
    HttpResponse<byte[]> wav =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .build()
            .send(
                HttpRequest.newBuilder(URI.create(rec.params().get("RecordingUrl") + ".wav"))
                    .header("Authorization", auth)
                    .build(),
                HttpResponse.BodyHandlers.ofByteArray());
    assertThat(wav.statusCode()).isEqualTo(200);
    assertThat(new String(wav.body(), 0, 4)).isEqualTo("RIFF");
    assertThat(wav.headers().firstValue("Accept-Ranges")).contains("bytes");
    int length = wav.body().length;
    // a player seeks with single byte ranges; one past the end is 416 with the length
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    java.util.function.Function<String, HttpResponse<byte[]>> ranged =
        range -> {
          try {
            return http.send(
                HttpRequest.newBuilder(URI.create(rec.params().get("RecordingUrl") + ".wav"))
                    .header("Authorization", auth)
                    .header("Range", range)
                    .build(),
                HttpResponse.BodyHandlers.ofByteArray());
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        };
    HttpResponse<byte[]> part = ranged.apply("bytes=4-11");
    assertThat(part.statusCode()).isEqualTo(206);
    assertThat(part.headers().firstValue("Content-Range")).contains("bytes 4-11/" + length);
    assertThat(part.body()).isEqualTo(java.util.Arrays.copyOfRange(wav.body(), 4, 12));
    HttpResponse<byte[]> tail = ranged.apply("bytes=-4");
    assertThat(tail.statusCode()).isEqualTo(206);
    assertThat(tail.body()).isEqualTo(java.util.Arrays.copyOfRange(wav.body(), length - 4, length));
    HttpResponse<byte[]> past = ranged.apply("bytes=" + length + "-");
    assertThat(past.statusCode()).isEqualTo(416);
    assertThat(past.headers().firstValue("Content-Range")).contains("bytes */" + length);
    // not one byte range: ignored, the whole file
    assertThat(ranged.apply("bytes=0-1,4-5").statusCode()).isEqualTo(200);
    // recording a call that has ended is refused
    assertThatThrownBy(() -> Recording.creator(call.getSid()).create(client))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getCode()).isEqualTo(21220));
  }

  @Test
  void recordsTheWholeCallWhenAskedAtCreation() {
    Call call =
        Call.creator(
                new PhoneNumber(PERSON), new PhoneNumber(AGENT), URI.create(app.url("/answer")))
            .setRecord(true)
            .setRecordingStatusCallback(app.url("/rec"))
            .setStatusCallback(app.url("/status"))
            .create(client);
    await().atMost(Duration.ofSeconds(5)).until(() -> app.hits("/rec").size() == 1);
    AppServer.Hit rec = app.hits("/rec").getFirst();
    assertThat(rec.params().get("RecordingSource")).isEqualTo("OutboundAPI");
    assertThat(rec.params().get("CallSid")).isEqualTo(call.getSid());
    assertThat(Integer.parseInt(rec.params().get("RecordingDuration"))).isBetween(0, 3);
    await().atMost(Duration.ofSeconds(5)).until(() -> app.hits("/status").size() == 1);
    assertThat(app.hits("/status").getFirst().params().get("RecordingUrl"))
        .isEqualTo(rec.params().get("RecordingUrl"));
  }

  @Test
  void duplicateAndOutOfOrderCallbackFaults() {
    sim.faults().set(Faults.Target.TWILIO, new Fault.DuplicateCallbacks());
    Call first = dial(PERSON);
    // four callbacks (initiated, ringing, in-progress, completed), each delivered twice
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                app.hits("/status").stream()
                        .filter(h -> h.params().get("CallSid").equals(first.getSid()))
                        .count()
                    == 8);

    sim.faults().clear().set(Faults.Target.TWILIO, new Fault.OutOfOrderCallbacks());
    Call second = dial(PERSON);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> sim.call(second.getSid()).status().equals("completed"));
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                app.hits("/status").stream()
                        .filter(h -> h.params().get("CallSid").equals(second.getSid()))
                        .count()
                    == 4);
    assertThat(
            app.hits("/status").stream()
                .filter(h -> h.params().get("CallSid").equals(second.getSid()))
                .map(h -> h.params().get("SequenceNumber")))
        .containsExactly("3", "2", "1", "0");
  }
}
