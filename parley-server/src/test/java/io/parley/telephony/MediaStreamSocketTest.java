package io.parley.telephony;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.parley.calls.CallOutcome;
import io.parley.calls.CallRecord;
import io.parley.calls.CallRecords;
import io.parley.nodes.NodeIdentity;
import io.parley.sim.Sim;
import io.parley.sim.SimConfig;
import io.parley.support.AgentRequests;
import io.parley.support.DatabaseCleaner;
import io.parley.support.LoopbackServer;
import io.parley.support.PromptRows;
import io.parley.support.SimTwilio;
import io.parley.telephony.TwilioByHand.Answer;
import io.parley.telephony.TwilioByHand.Closed;
import io.parley.telephony.TwilioByHand.MediaSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code /twilio/media} socket with a hand-rolled Twilio: the voice webhook issues the token,
 * the JDK WebSocket client plays the stream (including what real Twilio never sends), and the
 * simulators play Deepgram, ElevenLabs and the model for the calls that start.
 */
@Tag("db")
@Tag("e2e")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
@AutoConfigureMockMvc
@ActiveProfiles("test")
class MediaStreamSocketTest {

  static final String AGENT_NUMBER = "+14155550150";
  static final String CALLER = "+14155550177";
  static final UUID PROMPT = UUID.fromString("88888888-8888-8888-8888-888888888888");
  static final UUID USER = VoiceWebhookTest.USER;
  static final JsonMapper MAPPER = JsonMapper.builder().build();
  static final int PORT = LoopbackServer.freePort();
  static final Duration SOON = Duration.ofSeconds(10);

  @AutoClose
  static final Sim SIM = Sim.start(SimConfig.defaults().withTwilio(SimTwilio.owning(AGENT_NUMBER)));

  @DynamicPropertySource
  static void simulators(DynamicPropertyRegistry registry) {
    LoopbackServer.listenOn(registry, PORT);
    io.parley.support.SimProviders.all(registry, SIM);
  }

  @Autowired MockMvc mvc;
  @Autowired DataSource dataSource;
  @Autowired CallRecords records;
  @Autowired CallCapacity capacity;
  @Autowired MediaServer mediaServer;
  @Autowired MeterRegistry meters;
  @Autowired NodeIdentity node;

  private TwilioByHand twilio;
  private final List<MediaSocket> sockets = new ArrayList<>();
  private final List<UUID> rung = new ArrayList<>();
  private final List<UUID> started = new ArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    DatabaseCleaner.clean(dataSource);
    PromptRows.insert(dataSource, PROMPT, "Front desk", "You answer the phone.", USER);
    createAgent();
    String base = LoopbackServer.url(PORT);
    twilio = new TwilioByHand(base, base, SIM.twilio().authToken());
  }

  /**
   * Every call a test started has ended before the next test empties the tables, and calls that
   * never streamed give their places back.
   */
  @AfterEach
  void hangUpEverything() {
    sockets.forEach(
        socket -> {
          if (socket.isOpen()) {
            socket.abort();
          }
        });
    await().atMost(SOON).until(() -> openSockets() == 0);
    await().atMost(SOON).until(() -> started.stream().allMatch(this::ended));
    rung.forEach(capacity::release);
  }

  /** A call Twilio has just been told to stream: its CallSid and the answered TwiML. */
  private record Ringing(String callSid, Answer answer) {
    UUID callId() {
      return UUID.fromString(answer.parameters().get("callId"));
    }
  }

  private Ringing ring() throws Exception {
    String callSid = TwilioByHand.callSid();
    var response =
        twilio.post(PublicUrls.VOICE, TwilioByHand.inbound(callSid, CALLER, AGENT_NUMBER));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    Answer answer = TwilioByHand.read(response.body());
    assertThat(answer.connects()).as(response.body()).isTrue();
    assertThat(answer.streamUrl())
        .isEqualTo(URI.create("ws://127.0.0.1:" + mediaServer.port() + PublicUrls.MEDIA));
    Ringing ringing = new Ringing(callSid, answer);
    rung.add(ringing.callId());
    return ringing;
  }

  private MediaSocket open(Ringing call) {
    MediaSocket socket = twilio.open(call.answer().streamUrl());
    sockets.add(socket);
    socket.connected();
    return socket;
  }

  private static String streamSid() {
    return "MZ" + UUID.randomUUID().toString().replace("-", "");
  }

  /** Opens the stream as Twilio would, and waits until the greeting is on its way back. */
  private MediaSocket talking(Ringing call, String streamSid) throws Exception {
    MediaSocket socket = open(call);
    socket.start(streamSid, call.callSid(), call.answer().parameters());
    started.add(call.callId());
    assertGreetingArrives(socket, streamSid);
    return socket;
  }

  private static void assertGreetingArrives(MediaSocket socket, String streamSid) throws Exception {
    for (int chunk = 1; chunk <= 5; chunk++) {
      socket.media(streamSid, chunk);
    }
    String media = socket.next("media", Duration.ofSeconds(15));
    assertThat(media).as("a media frame of the greeting").isNotNull();
    var frame = MAPPER.readTree(media);
    assertThat(frame.path("streamSid").asString()).isEqualTo(streamSid);
    assertThat(java.util.Base64.getDecoder().decode(frame.path("media").path("payload").asString()))
        .isNotEmpty();
  }

  private double counter(String name) {
    return meters.counter(name).count();
  }

  private double activeCalls() {
    return meters.get("parley.calls.active").gauge().value();
  }

  private double openSockets() {
    return meters.get("parley.media.sockets.open").gauge().value();
  }

  /** Sockets refused before a session started leave the call's record as the webhook left it. */
  private void assertNoCallRan(Ringing call) {
    await().atMost(SOON).until(() -> openSockets() == 0);
    CallRecord record = records.find(call.callId()).orElseThrow();
    assertThat(record.endedAt()).isNull();
    assertThat(record.outcome()).isNull();
  }

  private boolean ended(UUID callId) {
    return records.find(callId).map(r -> r.endedAt() != null).orElse(true);
  }

  /** Whether the call's session is live: its record is open and its place is held. */
  private boolean live(UUID callId) {
    return !ended(callId) && records.find(callId).map(r -> r.outcome() == null).orElse(false);
  }

  // ---- admission -----------------------------------------------------------------------------

  @Test
  void aValidTokenStartsTheCallAndTheCallerHearsTheGreeting() throws Exception {
    Ringing call = ring();
    String streamSid = streamSid();

    MediaSocket socket = talking(call, streamSid);

    assertThat(socket.isOpen()).isTrue();
    assertThat(live(call.callId())).isTrue();
    assertThat(openSockets()).isEqualTo(1);
    assertThat(SIM.llm().requestsFor(call.callId().toString()))
        .as("the model has not been asked anything before the caller spoke")
        .isEmpty();
  }

  @Test
  void mediaRightBehindStartWaitsForTheTokenCheckAndNoFrameIsDropped() throws Exception {
    Ringing call = ring();
    String streamSid = streamSid();
    jdbc()
        .sql("UPDATE call_record SET node_id = 'the-webhooks-node' WHERE id = :id")
        .param("id", call.callId())
        .update();
    double outOfOrder = counter("parley.media.messages.out_of_order");

    // As Twilio does: start, then media at once, while the token is still being checked.
    talking(call, streamSid);

    assertThat(counter("parley.media.messages.out_of_order")).isEqualTo(outOfOrder);
    assertThat(records.find(call.callId()).orElseThrow().nodeId())
        .as("the node the stream reached holds the call")
        .isEqualTo(node.id());
  }

  private JdbcClient jdbc() {
    return JdbcClient.create(dataSource);
  }

  @Test
  void aTokenWorksOnceASecondSocketWithItIsClosedWith1008() throws Exception {
    Ringing call = ring();
    String streamSid = streamSid();
    MediaSocket first = talking(call, streamSid);
    double rejected = counter("parley.media.streams.rejected");

    MediaSocket second = open(call);
    second.start(streamSid(), call.callSid(), call.answer().parameters());

    Closed closed = second.awaitClose(SOON);
    assertThat(closed).isNotNull();
    assertThat(closed.code()).isEqualTo(1008);
    assertThat(counter("parley.media.streams.rejected")).isEqualTo(rejected + 1);
    assertThat(first.isOpen()).as("the call's own stream goes on").isTrue();
    assertThat(live(call.callId())).isTrue();
  }

  @Test
  void aRetriedWebhooksSecondTokenCannotOpenASecondStreamForALiveCall() throws Exception {
    String callSid = TwilioByHand.callSid();
    var params = TwilioByHand.inbound(callSid, CALLER, AGENT_NUMBER);
    Answer first = TwilioByHand.read(twilio.post(PublicUrls.VOICE, params).body());
    Answer second = TwilioByHand.read(twilio.post(PublicUrls.VOICE, params).body());
    assertThat(second.token()).isNotEqualTo(first.token());
    Ringing call = new Ringing(callSid, first);
    rung.add(call.callId());
    String streamSid = streamSid();
    MediaSocket talking = talking(call, streamSid);

    MediaSocket extra = open(new Ringing(callSid, second));
    extra.start(streamSid(), callSid, second.parameters());

    assertThat(extra.awaitClose(SOON)).extracting(Closed::code).isEqualTo(1008);
    assertThat(talking.isOpen()).isTrue();
    assertThat(live(call.callId())).isTrue();
    talking.close();
    await().atMost(SOON).until(() -> ended(call.callId()));
  }

  @Test
  void aTokenPresentedForAnotherCallSidIsClosedWith1008AndSpent() throws Exception {
    Ringing call = ring();

    MediaSocket stranger = open(call);
    stranger.start(streamSid(), TwilioByHand.callSid(), call.answer().parameters());
    Closed closed = stranger.awaitClose(SOON);
    assertThat(closed).isNotNull();
    assertThat(closed.code()).isEqualTo(1008);

    // The token was spent by the attempt, so not even the right call can use it now.
    MediaSocket rightful = open(call);
    rightful.start(streamSid(), call.callSid(), call.answer().parameters());
    assertThat(rightful.awaitClose(SOON)).extracting(Closed::code).isEqualTo(1008);
    assertNoCallRan(call);
  }

  @Test
  void aStartWithoutATokenOrWithAnUnknownOneIsClosedWith1008() throws Exception {
    Ringing call = ring();

    MediaSocket without = open(call);
    without.start(streamSid(), call.callSid(), Map.of("callId", call.callId().toString()));
    assertThat(without.awaitClose(SOON)).extracting(Closed::code).isEqualTo(1008);

    MediaSocket guessed = open(call);
    guessed.start(
        streamSid(),
        call.callSid(),
        Map.of("token", "0".repeat(48), "callId", call.callId().toString()));
    assertThat(guessed.awaitClose(SOON)).extracting(Closed::code).isEqualTo(1008);
    assertNoCallRan(call);
  }

  @Test
  void aSocketThatNeverStartsIsClosedWith1008AfterTheStartTimeout() throws Exception {
    Ringing call = ring();
    MediaSocket silent = twilio.open(call.answer().streamUrl());
    sockets.add(silent);
    MediaSocket connectedOnly = open(call);
    long opened = System.nanoTime();

    Closed closed = connectedOnly.awaitClose(MediaStreamHandler.START_TIMEOUT.plusSeconds(5));
    assertThat(closed).isNotNull();
    assertThat(closed.code()).isEqualTo(1008);
    assertThat(Duration.ofNanos(System.nanoTime() - opened))
        .isGreaterThan(MediaStreamHandler.START_TIMEOUT.minusSeconds(1));
    assertThat(silent.awaitClose(SOON)).extracting(Closed::code).isEqualTo(1008);
    // The token was never presented, so the call can still start.
    talking(call, streamSid());
  }

  @Test
  void aSecondStartOnTheSameSocketIsIgnored() throws Exception {
    Ringing call = ring();
    String streamSid = streamSid();
    MediaSocket socket = talking(call, streamSid);

    socket.start(streamSid, call.callSid(), call.answer().parameters());
    socket.media(streamSid, 6);

    assertThat(socket.awaitClose(Duration.ofMillis(500))).isNull();
    assertThat(live(call.callId())).isTrue();
  }

  // ---- what Twilio never sends ---------------------------------------------------------------

  @Test
  void twentyOneMalformedMessagesCloseTheSocketWith1007AndAreCounted() throws Exception {
    Ringing call = ring();
    MediaSocket socket = open(call);
    double before = counter("parley.media.messages.malformed");
    List<String> garbage =
        List.of("{not json", "[]", "42", "{\"event\":\"media\",\"media\":{\"payload\":\"%%%\"}}");

    for (int i = 0; i < MediaStreamHandler.MALFORMED_BUDGET; i++) {
      socket.send(garbage.get(i % garbage.size()));
    }
    assertThat(socket.awaitClose(Duration.ofMillis(500))).as("20 are tolerated").isNull();
    socket.send("{\"event\":");

    Closed closed = socket.awaitClose(SOON);
    assertThat(closed).isNotNull();
    assertThat(closed.code()).isEqualTo(1007);
    assertThat(counter("parley.media.messages.malformed"))
        .isEqualTo(before + MediaStreamHandler.MALFORMED_BUDGET + 1);
  }

  @Test
  void aFloodOfKeyPressesIsCappedAndTranscribedOncePerBurst() throws Exception {
    Ringing call = ring();
    String streamSid = streamSid();
    MediaSocket socket = talking(call, streamSid);
    double dropped = counter("parley.media.dtmf.dropped");

    for (int i = 0; i < 2000; i++) {
      socket.send(
          "{\"event\":\"dtmf\",\"streamSid\":\"%s\",\"dtmf\":{\"track\":\"inbound_track\",\"digit\":\"%s\"}}"
              .formatted(streamSid, "0123456789*#ABCD".charAt(i % 16)));
    }
    socket.stop(streamSid, call.callSid());
    await().atMost(SOON).until(() -> ended(call.callId()));

    assertThat(counter("parley.media.dtmf.dropped")).isEqualTo(dropped + 1800);
    List<String> keys =
        JdbcClient.create(dataSource)
            .sql(
                "SELECT text FROM transcript_segment WHERE call_id = :call AND text LIKE"
                    + " '[pressed %' ORDER BY seq")
            .param("call", call.callId())
            .query(String.class)
            .list();
    // 200 keys within a second or two: six full bursts of 32 and the last 8.
    assertThat(keys).hasSize(7);
    assertThat(String.join("", keys).replaceAll("\\[pressed |]", "")).hasSize(200);
    assertThat(keys.getFirst()).isEqualTo("[pressed 0123456789*#ABCD0123456789*#ABCD]");
    assertThat(socket.isOpen()).isFalse();
  }

  @Test
  void garbageDuringACallClosesTheSocketWith1007AndEndsTheCall() throws Exception {
    Ringing call = ring();
    MediaSocket socket = talking(call, streamSid());

    for (int i = 0; i <= MediaStreamHandler.MALFORMED_BUDGET; i++) {
      socket.send("{\"event\":\"media\",\"media\":{\"payload\":\"not base64!\"}}");
    }

    assertThat(socket.awaitClose(SOON)).extracting(Closed::code).isEqualTo(1007);
    await().atMost(SOON).until(() -> ended(call.callId()));
    assertThat(records.find(call.callId()).orElseThrow().outcomeReason()).contains("1007");
    // A stream that broke is not a call that went well.
    assertThat(records.find(call.callId()).orElseThrow().outcome().wire())
        .isEqualTo("system_error");
  }

  @Test
  void aBinaryMessageClosesTheSocketWith1003() throws Exception {
    Ringing call = ring();
    MediaSocket socket = open(call);

    socket.sendBinary(new byte[160]);

    assertThat(socket.awaitClose(SOON)).extracting(Closed::code).isEqualTo(1003);
  }

  @Test
  void mediaBeforeStartIsIgnoredAndTheStreamCanStillStart() throws Exception {
    Ringing call = ring();
    String streamSid = streamSid();
    MediaSocket socket = open(call);
    double outOfOrder = counter("parley.media.messages.out_of_order");

    for (int chunk = 1; chunk <= 3; chunk++) {
      socket.media(streamSid, chunk);
    }
    assertThat(socket.awaitClose(Duration.ofMillis(300))).isNull();
    assertThat(counter("parley.media.messages.out_of_order")).isEqualTo(outOfOrder + 3);

    socket.start(streamSid, call.callSid(), call.answer().parameters());
    assertGreetingArrives(socket, streamSid);
  }

  @Test
  void aMarkBeforeStartClosesTheSocketWith1002() throws Exception {
    Ringing call = ring();
    MediaSocket socket = open(call);

    socket.mark(streamSid(), "utt-1");

    assertThat(socket.awaitClose(SOON)).extracting(Closed::code).isEqualTo(1002);
  }

  @Test
  void aMessageJustUnder16KilobytesIsStillRead() throws Exception {
    Ringing call = ring();
    MediaSocket socket = open(call);
    double unknown = counter("parley.media.messages.unknown");

    socket.send(
        "{\"event\":\"padding\",\"padding\":\""
            + "x".repeat(MediaStreamHandler.MAX_MESSAGE_BYTES - 64)
            + "\"}");

    await().atMost(SOON).until(() -> counter("parley.media.messages.unknown") == unknown + 1);
    assertThat(socket.isOpen()).isTrue();
  }

  @Test
  void aMessageOver16KilobytesClosesTheSocketWith1009() throws Exception {
    Ringing call = ring();
    MediaSocket socket = open(call);

    socket.send("{\"event\":\"connected\",\"padding\":\"" + "x".repeat(20 * 1024) + "\"}");

    assertThat(socket.awaitClose(SOON)).extracting(Closed::code).isEqualTo(1009);
  }

  @Test
  void anUnknownEventIsCountedAndTheSocketStaysOpen() throws Exception {
    Ringing call = ring();
    String streamSid = streamSid();
    MediaSocket socket = open(call);
    double unknown = counter("parley.media.messages.unknown");

    socket.send("{\"event\":\"transcription\",\"streamSid\":\"" + streamSid + "\"}");

    await().atMost(SOON).until(() -> counter("parley.media.messages.unknown") == unknown + 1);
    assertThat(socket.isOpen()).isTrue();
    socket.start(streamSid, call.callSid(), call.answer().parameters());
    assertGreetingArrives(socket, streamSid);
    socket.send("{\"event\":\"transcription\",\"streamSid\":\"" + streamSid + "\"}");
    await().atMost(SOON).until(() -> counter("parley.media.messages.unknown") == unknown + 2);
    assertThat(socket.isOpen()).isTrue();
  }

  // ---- the end of a call ---------------------------------------------------------------------

  @Test
  void closingTheSocketWithoutStopEndsTheCallAsCompleted() throws Exception {
    Ringing call = ring();
    MediaSocket socket = talking(call, streamSid());
    assertThat(live(call.callId())).isTrue();
    int placesWhileTalking = capacity.active();

    socket.close();

    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> records.find(call.callId()).map(r -> r.endedAt() != null).orElse(false));
    CallRecord ended = records.find(call.callId()).orElseThrow();
    assertThat(ended.outcome()).isEqualTo(CallOutcome.COMPLETED);
    assertThat(ended.outcomeReason()).contains("closed");
    await().atMost(Duration.ofSeconds(5)).until(() -> openSockets() == 0);
    await().atMost(Duration.ofSeconds(5)).until(() -> capacity.active() == placesWhileTalking - 1);
  }

  @Test
  void theActiveCallsGaugeCountsTheLiveCallAndReturnsToZero() throws Exception {
    Ringing call = ring();
    MediaSocket socket = talking(call, streamSid());
    // A gauge must outlive a garbage collection: Micrometer holds its state object weakly.
    System.gc();
    assertThat(activeCalls()).isEqualTo(1);

    socket.close();

    await().atMost(Duration.ofSeconds(5)).until(() -> activeCalls() == 0);
  }

  @Test
  void aDroppedConnectionEndsTheCallToo() throws Exception {
    Ringing call = ring();
    MediaSocket socket = talking(call, streamSid());

    socket.abort();

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> records.find(call.callId()).map(r -> r.endedAt() != null).orElse(false));
    assertThat(records.find(call.callId()).orElseThrow().outcome())
        .isEqualTo(CallOutcome.COMPLETED);
    await().atMost(Duration.ofSeconds(5)).until(() -> openSockets() == 0);
  }

  @Test
  void stopEndsTheCallAndTheServerClosesTheSocket() throws Exception {
    Ringing call = ring();
    String streamSid = streamSid();
    MediaSocket socket = talking(call, streamSid);

    socket.stop(streamSid, call.callSid());

    assertThat(socket.awaitClose(SOON)).extracting(Closed::code).isEqualTo(1000);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> records.find(call.callId()).map(r -> r.endedAt() != null).orElse(false));
    assertThat(records.find(call.callId()).orElseThrow().outcome())
        .isEqualTo(CallOutcome.COMPLETED);
    await().atMost(Duration.ofSeconds(5)).until(() -> openSockets() == 0);
  }

  // ---- helpers -------------------------------------------------------------------------------

  private void createAgent() throws Exception {
    String body =
        """
        {"name": "Desk", "promptId": "%s", "greeting": "Hello, you are through to the front desk.",
         "voice": {"provider": "elevenlabs", "voiceId": "v1"},
         "llm": {"model": "grok-4-fast-non-reasoning"}, "twilioNumber": "%s",
         "recording": {"enabled": false}}
        """
            .formatted(PROMPT, AGENT_NUMBER);
    new AgentRequests(mvc, VoiceWebhookTest.operator()).createAndAwaitNumberSync(body);
  }
}
