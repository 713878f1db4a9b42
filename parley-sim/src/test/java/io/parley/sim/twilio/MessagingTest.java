package io.parley.sim.twilio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.twilio.exception.ApiException;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.account.IncomingPhoneNumber;
import com.twilio.rest.api.v2010.account.Message;
import com.twilio.security.RequestValidator;
import com.twilio.type.PhoneNumber;
import io.parley.sim.AppServer;
import io.parley.sim.Sim;
import io.parley.sim.SimClock;
import io.parley.sim.SimConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Programmable Messaging, driven by twilio-java and checked by its RequestValidator. */
class MessagingTest {
  private static final String AGENT = "+15550001000";
  private static final String PERSON = "+15557654321";
  private static final String UNREACHABLE = "+15550000300";
  private static final String BROKEN = "+15550000308";
  private static final String UNSUBSCRIBED = "+15550000610";
  private static final String SERVICE = "MG" + "0".repeat(31) + "1";

  private final AppServer app = new AppServer();
  private Sim sim;
  private TwilioRestClient client;
  private RequestValidator validator;

  private void start(SimClock clock) {
    TwilioConfig twilio =
        TwilioConfig.defaults()
            .withNumbers(List.of(new TwilioConfig.PhoneNumber(AGENT, null, null, null)))
            .withDestinations(
                Map.of(
                    UNREACHABLE,
                    TwilioConfig.Destination.sms(TwilioConfig.SmsOutcome.UNDELIVERED),
                    BROKEN,
                    TwilioConfig.Destination.sms(TwilioConfig.SmsOutcome.FAILED),
                    UNSUBSCRIBED,
                    TwilioConfig.Destination.sms(TwilioConfig.SmsOutcome.OPTED_OUT)));
    sim = Sim.start(SimConfig.defaults().withTwilio(twilio).withClock(clock));
    client =
        new TwilioRestClient.Builder(sim.twilio().accountSid(), sim.twilio().authToken())
            .httpClient(new RewritingTwilioHttpClient(sim.twilioApiUrl()))
            .build();
    validator = new RequestValidator(sim.twilio().authToken());
  }

  @AfterEach
  void stop() {
    sim.close();
    app.close();
  }

  private Message text(String to, String body) {
    return Message.creator(new PhoneNumber(to), new PhoneNumber(AGENT), body)
        .setStatusCallback(app.url("/sms-status"))
        .create(client);
  }

  private void assertSigned(AppServer.Hit hit) {
    Map<String, String> params = new HashMap<>(hit.params().asMap());
    String url = app.url(hit.path()) + (hit.query() == null ? "" : "?" + hit.query());
    assertThat(validator.validate(url, params, hit.signature())).as("signature of " + url).isTrue();
  }

  private List<String> statuses(String sid) {
    return app.hits("/sms-status").stream()
        .filter(h -> sid.equals(h.params().get("MessageSid")))
        .map(h -> h.params().get("MessageStatus"))
        .toList();
  }

  @Test
  void sendsAMessageThatIsDeliveredWithSignedStatusCallbacks() {
    start(SimClock.system());
    Message created = text(PERSON, "Your table for two is booked for 8 pm.");
    assertThat(created.getSid()).startsWith("SM").hasSize(34);
    assertThat(created.getStatus()).isEqualTo(Message.Status.QUEUED);
    assertThat(created.getDirection()).isEqualTo(Message.Direction.OUTBOUND_API);
    assertThat(created.getFrom().toString()).isEqualTo(AGENT);
    assertThat(created.getTo()).isEqualTo(PERSON);
    assertThat(created.getNumSegments()).isEqualTo("1");
    assertThat(created.getNumMedia()).isEqualTo("0");
    assertThat(created.getDateCreated()).isNotNull();
    assertThat(created.getDateSent()).isNull();
    assertThat(created.getAccountSid()).isEqualTo(sim.twilio().accountSid());

    await().atMost(Duration.ofSeconds(5)).until(() -> statuses(created.getSid()).size() == 3);
    // no callback for the initial status, one for each change after it
    assertThat(statuses(created.getSid())).containsExactly("sending", "sent", "delivered");
    List<AppServer.Hit> hits = app.hits("/sms-status");
    hits.forEach(this::assertSigned);
    AppServer.Hit last = hits.getLast();
    assertThat(last.params().get("SmsSid")).isEqualTo(created.getSid());
    assertThat(last.params().get("SmsStatus")).isEqualTo("delivered");
    assertThat(last.params().get("From")).isEqualTo(AGENT);
    assertThat(last.params().get("To")).isEqualTo(PERSON);
    assertThat(last.params().get("AccountSid")).isEqualTo(sim.twilio().accountSid());
    assertThat(last.params().get("ApiVersion")).isEqualTo("2010-04-01");
    assertThat(last.params().get("RawDlrDoneDate")).matches("\\d{10}");

    Message fetched = Message.fetcher(created.getSid()).fetch(client);
    assertThat(fetched.getStatus()).isEqualTo(Message.Status.DELIVERED);
    assertThat(fetched.getDateSent()).isNotNull();
    assertThat(fetched.getBody()).isEqualTo("Your table for two is booked for 8 pm.");
    assertThat(fetched.getErrorCode()).isNull();
  }

  @Test
  void undeliveredAndFailedDestinationsReportTheirErrorCodes() {
    start(SimClock.system());
    Message lost = text(UNREACHABLE, "hello");
    Message broken = text(BROKEN, "hello");
    await().atMost(Duration.ofSeconds(5)).until(() -> statuses(lost.getSid()).size() == 3);
    await().atMost(Duration.ofSeconds(5)).until(() -> statuses(broken.getSid()).size() == 2);
    assertThat(statuses(lost.getSid())).containsExactly("sending", "sent", "undelivered");
    assertThat(statuses(broken.getSid())).containsExactly("sending", "failed");
    assertThat(app.hits("/sms-status").stream().filter(h -> h.params().has("ErrorCode")))
        .extracting(h -> h.params().get("ErrorCode"))
        .containsExactlyInAnyOrder("30003", "30008");
    Message fetched = Message.fetcher(lost.getSid()).fetch(client);
    assertThat(fetched.getStatus()).isEqualTo(Message.Status.UNDELIVERED);
    assertThat(fetched.getErrorCode()).isEqualTo(30003);
    assertThat(Message.fetcher(broken.getSid()).fetch(client).getStatus())
        .isEqualTo(Message.Status.FAILED);
  }

  @Test
  void progressesOnTheSimClock() throws Exception {
    SimClock.Virtual clock = new SimClock.Virtual();
    start(clock);
    Message m = text(PERSON, "hello");
    assertThat(clock.advanceToNextDeadline(Duration.ofSeconds(5))).isEqualTo(100);
    await().atMost(Duration.ofSeconds(5)).until(() -> statuses(m.getSid()).size() == 1);
    assertThat(clock.advanceToNextDeadline(Duration.ofSeconds(5))).isEqualTo(300);
    await().atMost(Duration.ofSeconds(5)).until(() -> statuses(m.getSid()).size() == 2);
    assertThat(sim.twilio().message(m.getSid()).status()).isEqualTo("sent");
    assertThat(clock.advanceToNextDeadline(Duration.ofSeconds(5))).isEqualTo(1000);
    await().atMost(Duration.ofSeconds(5)).until(() -> statuses(m.getSid()).size() == 3);
    assertThat(statuses(m.getSid())).containsExactly("sending", "sent", "delivered");
  }

  @Test
  void aMessagingServiceAcceptsFirstThenQueuesOnOneOfItsNumbers() {
    start(SimClock.system());
    Message m =
        Message.creator(new PhoneNumber(PERSON), SERVICE, "hi")
            .setStatusCallback(app.url("/sms-status"))
            .create(client);
    assertThat(m.getStatus()).isEqualTo(Message.Status.ACCEPTED);
    assertThat(m.getFrom()).isNull();
    assertThat(m.getMessagingServiceSid()).isEqualTo(SERVICE);
    await().atMost(Duration.ofSeconds(5)).until(() -> statuses(m.getSid()).size() == 4);
    assertThat(statuses(m.getSid())).containsExactly("queued", "sending", "sent", "delivered");
    AppServer.Hit queued = app.hits("/sms-status").getFirst();
    assertThat(queued.params().get("From")).isEqualTo(AGENT);
    assertThat(queued.params().get("MessagingServiceSid")).isEqualTo(SERVICE);
    assertThat(Message.fetcher(m.getSid()).fetch(client).getFrom().toString()).isEqualTo(AGENT);
  }

  @Test
  void listsWithFiltersAndPages() {
    start(SimClock.system());
    text(PERSON, "one");
    text(PERSON, "two");
    text(UNREACHABLE, "three");
    List<String> toPerson = new ArrayList<>();
    Message.reader()
        .setTo(new PhoneNumber(PERSON))
        .setPageSize(1L)
        .read(client)
        .forEach(m -> toPerson.add(m.getBody()));
    // newest first, across pages of one
    assertThat(toPerson).containsExactly("two", "one");
    List<String> all = new ArrayList<>();
    Message.reader()
        .setFrom(new PhoneNumber(AGENT))
        .setPageSize(2L)
        .read(client)
        .forEach(m -> all.add(m.getBody()));
    assertThat(all).containsExactly("three", "two", "one");
    var page = Message.reader().setPageSize(2L).firstPage(client);
    assertThat(page.getRecords()).hasSize(2);
    assertThat(page.hasNextPage()).isTrue();
  }

  @Test
  void countsSegmentsAsTwilioDoes() {
    start(SimClock.system());
    assertThat(text(PERSON, "a".repeat(160)).getNumSegments()).isEqualTo("1");
    assertThat(text(PERSON, "a".repeat(161)).getNumSegments()).isEqualTo("2");
    // extension characters take two septets
    assertThat(text(PERSON, "[".repeat(81)).getNumSegments()).isEqualTo("2");
    // anything outside GSM-7 sends the message as UCS-2: 70 per single segment, 67 when split
    assertThat(text(PERSON, "\u00e7".repeat(70)).getNumSegments()).isEqualTo("1");
    assertThat(text(PERSON, "\u00e7".repeat(71)).getNumSegments()).isEqualTo("2");
    assertThat(text(PERSON, "\u00e9".repeat(160)).getNumSegments()).isEqualTo("1");
  }

  @Test
  void refusesMessagesTwilioWouldRefuse() {
    start(SimClock.system());
    expectError(
        () -> Message.creator(new PhoneNumber("12"), new PhoneNumber(AGENT), "x").create(client),
        400,
        21211);
    expectError(
        () -> Message.creator(new PhoneNumber(PERSON), new PhoneNumber(AGENT), "").create(client),
        400,
        21602);
    expectError(
        () ->
            Message.creator(new PhoneNumber(PERSON), new PhoneNumber("+15559998888"), "x")
                .create(client),
        400,
        21606);
    expectError(() -> Message.fetcher("SM" + "f".repeat(32)).fetch(client), 404, 20404);
    TwilioRestClient wrong =
        new TwilioRestClient.Builder(sim.twilio().accountSid(), "not-the-token")
            .httpClient(new RewritingTwilioHttpClient(sim.twilioApiUrl()))
            .build();
    expectError(
        () -> Message.creator(new PhoneNumber(PERSON), new PhoneNumber(AGENT), "x").create(wrong),
        401,
        20003);
    assertThat(sim.twilio().messages()).isEmpty();
  }

  private static void expectError(Runnable request, int status, int code) {
    Consumer<ApiException> check =
        e -> {
          assertThat(e.getStatusCode()).isEqualTo(status);
          assertThat(e.getCode()).isEqualTo(code);
        };
    assertThatThrownBy(request::run).isInstanceOfSatisfying(ApiException.class, check);
  }

  @Test
  void anInboundTextIsPostedSignedAndItsTwimlReplyIsSent() {
    start(SimClock.system());
    sim.number(AGENT).smsUrl(app.url("/sms"));
    app.answer(
        "/sms",
        "<Response><Message statusCallback=\""
            + app.url("/sms-status")
            + "\">Thanks, we got your message</Message></Response>");
    SimMessage in = sim.sendSms(PERSON, AGENT, "Can I move my booking to 9?");

    AppServer.Hit hit = app.hits("/sms").getFirst();
    assertSigned(hit);
    assertThat(hit.params().get("MessageSid")).isEqualTo(in.sid()).startsWith("SM");
    assertThat(hit.params().get("SmsSid")).isEqualTo(in.sid());
    assertThat(hit.params().get("SmsMessageSid")).isEqualTo(in.sid());
    assertThat(hit.params().get("AccountSid")).isEqualTo(sim.twilio().accountSid());
    assertThat(hit.params().get("From")).isEqualTo(PERSON);
    assertThat(hit.params().get("To")).isEqualTo(AGENT);
    assertThat(hit.params().get("Body")).isEqualTo("Can I move my booking to 9?");
    assertThat(hit.params().get("NumMedia")).isEqualTo("0");
    assertThat(hit.params().get("NumSegments")).isEqualTo("1");
    assertThat(hit.params().get("SmsStatus")).isEqualTo("received");
    assertThat(hit.params().get("ApiVersion")).isEqualTo("2010-04-01");
    assertThat(hit.params().get("FromCountry")).isEqualTo("US");

    assertThat(in.direction()).isEqualTo("inbound");
    assertThat(in.status()).isEqualTo("received");
    assertThat(in.errors()).isEmpty();
    SimMessage reply = in.replies().getFirst();
    assertThat(reply.direction()).isEqualTo("outbound-reply");
    assertThat(reply.from()).isEqualTo(AGENT);
    assertThat(reply.to()).isEqualTo(PERSON);
    assertThat(reply.body()).isEqualTo("Thanks, we got your message");
    assertThat(sim.twilio().messages()).extracting(SimMessage::sid).contains(in.sid(), reply.sid());

    await().atMost(Duration.ofSeconds(5)).until(() -> statuses(reply.sid()).size() == 3);
    app.hits("/sms-status").forEach(this::assertSigned);
    Message fetched = Message.fetcher(reply.sid()).fetch(client);
    assertThat(fetched.getDirection()).isEqualTo(Message.Direction.OUTBOUND_REPLY);
    assertThat(fetched.getStatus()).isEqualTo(Message.Status.DELIVERED);
    assertThat(Message.fetcher(in.sid()).fetch(client).getStatus())
        .isEqualTo(Message.Status.RECEIVED);
  }

  @Test
  void theSmsUrlIsSetThroughIncomingPhoneNumbersAndAnEmptyResponseSendsNoReply() {
    start(SimClock.system());
    IncomingPhoneNumber number = IncomingPhoneNumber.reader().read(client).iterator().next();
    IncomingPhoneNumber updated =
        IncomingPhoneNumber.updater(number.getSid())
            .setSmsUrl(java.net.URI.create(app.url("/sms2")))
            .update(client);
    assertThat(updated.getSmsUrl().toString()).isEqualTo(app.url("/sms2"));
    SimMessage in = sim.sendSms(PERSON, AGENT, "STOP");
    assertThat(app.hits("/sms2")).hasSize(1);
    assertThat(in.replies()).isEmpty();
    assertThat(in.errors()).isEmpty();
    assertThatThrownBy(() -> sim.sendSms(PERSON, "+15559998888", "hi"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void stopBlocksTheNumberToTheSenderWithTwiliosOwnReplyUntilStart() {
    start(SimClock.system());
    sim.number(AGENT).smsUrl(app.url("/sms"));
    app.answer("/sms", "<Response><Message>We will miss you</Message></Response>");

    SimMessage stop = sim.sendSms(PERSON, AGENT, "  stop ");
    // Twilio answers with its standard confirmation, passes the text on, and sends no app reply.
    assertThat(stop.autoReplies())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.body()).startsWith("You have successfully been unsubscribed.");
              assertThat(r.to()).isEqualTo(PERSON);
              assertThat(r.from()).isEqualTo(AGENT);
            });
    assertThat(app.hits("/sms")).hasSize(1);
    assertThat(stop.replies()).isEmpty();
    assertThat(stop.errors()).singleElement().asString().startsWith("21610");
    assertThat(sim.twilio().optedOut(AGENT, PERSON)).isTrue();
    expectError(() -> text(PERSON, "hello again"), 400, 21610);
    // Another sender, or another recipient, is not blocked.
    assertThat(sim.twilio().optedOut(AGENT, "+15557654322")).isFalse();

    app.answer("/sms", "<Response/>");
    SimMessage help = sim.sendSms(PERSON, AGENT, "HELP");
    assertThat(help.autoReplies()).as("no help reply while opted out").isEmpty();
    SimMessage startAgain = sim.sendSms(PERSON, AGENT, "Start");
    assertThat(startAgain.autoReplies())
        .singleElement()
        .satisfies(
            r -> assertThat(r.body()).startsWith("You have successfully been re-subscribed"));
    assertThat(sim.twilio().optedOut(AGENT, PERSON)).isFalse();
    assertThat(text(PERSON, "welcome back").getSid()).startsWith("SM");
    assertThat(sim.sendSms(PERSON, AGENT, "info").autoReplies())
        .singleElement()
        .satisfies(r -> assertThat(r.body()).isEqualTo(Messaging.HELP_REPLY));
    // A keyword inside a sentence is just a text.
    assertThat(sim.sendSms(PERSON, AGENT, "please stop").autoReplies()).isEmpty();
    assertThat(sim.twilio().optedOut(AGENT, PERSON)).isFalse();
  }

  @Test
  void withTheHandlingOffKeywordsAreOrdinaryTexts() {
    start(SimClock.system());
    sim.number(AGENT).smsUrl(app.url("/sms"));
    sim.twilio().optOutHandling(AGENT, false);
    app.answer("/sms", "<Response><Message>You are unsubscribed</Message></Response>");
    SimMessage stop = sim.sendSms(PERSON, AGENT, "STOP");
    assertThat(stop.autoReplies()).isEmpty();
    assertThat(stop.replies())
        .singleElement()
        .satisfies(r -> assertThat(r.body()).isEqualTo("You are unsubscribed"));
    assertThat(sim.twilio().optedOut(AGENT, PERSON)).isFalse();
    assertThat(text(PERSON, "still reachable").getSid()).startsWith("SM");
  }

  @Test
  void aDestinationOptedOutAtTheCarrierRefusesEveryMessage() {
    start(SimClock.system());
    expectError(() -> text(UNSUBSCRIBED, "hello"), 400, 21610);
    assertThat(sim.twilio().messages()).isEmpty();
  }
}
