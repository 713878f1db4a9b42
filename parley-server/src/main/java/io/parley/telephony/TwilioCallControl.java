package io.parley.telephony;

import com.twilio.exception.ApiException;
import com.twilio.exception.TwilioException;
import com.twilio.http.HttpMethod;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.account.Call;
import com.twilio.rest.api.v2010.account.CallReader;
import com.twilio.rest.api.v2010.account.IncomingPhoneNumber;
import com.twilio.rest.api.v2010.account.call.Recording;
import com.twilio.type.PhoneNumber;
import io.parley.providers.OutboundHttp;
import io.parley.providers.ProviderRegistry;
import io.parley.shared.LogSafe;
import io.parley.telephony.CallControlException.Reason;
import java.net.URI;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** {@link CallControl} through twilio-java, sent to {@code PARLEY_TWILIO_API_URL}. */
@Component
class TwilioCallControl implements CallControl {

  private static final Logger log = LoggerFactory.getLogger(TwilioCallControl.class);

  /** Every progress event, so the record shows ringing and answer times. */
  private static final List<String> STATUS_EVENTS =
      List.of("initiated", "ringing", "answered", "completed");

  private final Optional<TwilioRestClient> client;

  TwilioCallControl(ProviderRegistry providers, OutboundHttp outbound) {
    this.client =
        providers
            .twilio()
            .map(
                account ->
                    new TwilioRestClient.Builder(account.accountSid(), account.authToken().reveal())
                        .httpClient(new BaseUrlHttpClient(account.apiUrl(), outbound))
                        .build());
  }

  @Override
  public String dial(OutboundDial dial) {
    Call call =
        call(
            "dial " + dial.to(),
            () -> {
              var creator =
                  Call.creator(
                          new PhoneNumber(dial.to()), new PhoneNumber(dial.from()), dial.voiceUrl())
                      .setMethod(HttpMethod.POST)
                      .setStatusCallback(dial.statusCallback())
                      .setStatusCallbackMethod(HttpMethod.POST)
                      .setStatusCallbackEvent(STATUS_EVENTS)
                      .setTimeout(dial.ringTimeoutSeconds())
                      .setTimeLimit(dial.timeLimitSeconds());
              dial.amd()
                  .ifPresent(
                      amd -> {
                        creator
                            .setMachineDetection(amd.mode().twilio())
                            .setMachineDetectionTimeout(amd.timeoutSeconds())
                            .setMachineDetectionSpeechThreshold(amd.speechThresholdMs())
                            .setMachineDetectionSpeechEndThreshold(amd.speechEndThresholdMs())
                            .setMachineDetectionSilenceTimeout(amd.silenceTimeoutMs());
                        if (amd.async()) {
                          creator
                              .setAsyncAmd("true")
                              .setAsyncAmdStatusCallback(dial.amdCallback())
                              .setAsyncAmdStatusCallbackMethod(HttpMethod.POST);
                        }
                      });
              return creator.create(client());
            });
    return call.getSid();
  }

  @Override
  public CallState fetchStatus(String callSid) {
    return state(call("fetch call " + callSid, () -> Call.fetcher(callSid).fetch(client())));
  }

  @Override
  public List<CallState> findCalls(
      String to, String from, Instant startedAfter, Instant startedBefore) {
    return call(
        "list calls to " + to,
        () -> {
          Map<String, CallState> found = new LinkedHashMap<>();
          read(
              reader(to, from)
                  .setStartTimeAfter(startedAfter.atZone(ZoneOffset.UTC))
                  .setStartTimeBefore(startedBefore.atZone(ZoneOffset.UTC)),
              found);
          // No StartTime filter finds a call that has not started yet.
          read(reader(to, from).setStatus(Call.Status.QUEUED), found);
          read(reader(to, from).setStatus(Call.Status.RINGING), found);
          return found.values().stream()
              .sorted(
                  Comparator.comparing(
                          CallState::createdAt, Comparator.nullsLast(Comparator.naturalOrder()))
                      .reversed())
              .toList();
        });
  }

  @Override
  public List<UnfinishedCall> unfinishedCalls(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be 1 or more");
    }
    return call(
        "list unfinished calls",
        () -> {
          Map<String, UnfinishedCall> found = new LinkedHashMap<>();
          // Answered calls first: a call that moves on between two reads is listed as the first.
          for (Call.Status status :
              List.of(Call.Status.IN_PROGRESS, Call.Status.RINGING, Call.Status.QUEUED)) {
            Call.reader()
                .setStatus(status)
                .limit(limit)
                .read(client())
                .forEach(
                    call ->
                        found.putIfAbsent(
                            call.getSid(),
                            new UnfinishedCall(
                                call.getSid(),
                                call.getStatus() == null ? null : call.getStatus().toString(),
                                call.getFrom(),
                                call.getTo(),
                                call.getStartTime() == null
                                    ? null
                                    : call.getStartTime().toInstant())));
          }
          return List.copyOf(found.values());
        });
  }

  private static CallReader reader(String to, String from) {
    return Call.reader().setTo(new PhoneNumber(to)).setFrom(new PhoneNumber(from));
  }

  private void read(CallReader reader, Map<String, CallState> found) {
    reader.read(client()).forEach(call -> found.putIfAbsent(call.getSid(), state(call)));
  }

  private static CallState state(Call call) {
    return new CallState(
        call.getSid(),
        call.getStatus() == null ? null : call.getStatus().toString(),
        seconds(call.getDuration()),
        call.getStartTime() == null ? null : call.getStartTime().toInstant(),
        call.getEndTime() == null ? null : call.getEndTime().toInstant(),
        call.getDateCreated() == null ? null : call.getDateCreated().toInstant());
  }

  private static Integer seconds(String duration) {
    if (duration == null || duration.isBlank()) {
      return null;
    }
    try {
      return Integer.valueOf(duration.strip());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  @Override
  public void hangUp(String callSid) {
    call(
        "hang up call " + callSid,
        () -> Call.updater(callSid).setStatus(Call.UpdateStatus.COMPLETED).update(client()));
  }

  @Override
  public void redirect(String callSid, Instructions instructions) {
    call(
        "redirect call " + callSid,
        () -> {
          var updater = Call.updater(callSid);
          switch (instructions) {
            case Instructions.Url url -> updater.setUrl(url.url()).setMethod(HttpMethod.POST);
            case Instructions.Twiml twiml -> updater.setTwiml(twiml.twiml());
          }
          return updater.update(client());
        });
  }

  @Override
  public String startRecording(String callSid, URI statusCallback, String channels) {
    if (!"mono".equals(channels) && !"dual".equals(channels)) {
      throw new IllegalArgumentException("Recording channels must be mono or dual");
    }
    Recording recording =
        call(
            "start recording call " + callSid,
            () ->
                Recording.creator(callSid)
                    .setRecordingStatusCallback(statusCallback)
                    .setRecordingStatusCallbackMethod(HttpMethod.POST)
                    .setRecordingStatusCallbackEvent(List.of("completed"))
                    .setRecordingChannels(channels)
                    .create(client()));
    return recording.getSid();
  }

  @Override
  public PhoneNumberConfig updateNumber(String e164, NumberWebhooks webhooks) {
    String sid =
        listNumbers(e164).stream()
            .filter(n -> e164.equals(n.phoneNumber()))
            .map(PhoneNumberConfig::sid)
            .findFirst()
            .orElseThrow(
                () ->
                    new CallControlException(
                        Reason.NOT_FOUND,
                        null,
                        e164 + " is not a phone number of the Twilio account",
                        null));
    IncomingPhoneNumber updated =
        call(
            "update number " + e164,
            () ->
                IncomingPhoneNumber.updater(sid)
                    .setVoiceUrl(webhooks.voiceUrl())
                    .setVoiceMethod(HttpMethod.POST)
                    .setStatusCallback(webhooks.statusCallback())
                    .setStatusCallbackMethod(HttpMethod.POST)
                    .setVoiceFallbackUrl(webhooks.voiceFallbackUrl())
                    .setVoiceFallbackMethod(HttpMethod.POST)
                    .setSmsUrl(webhooks.smsUrl())
                    .setSmsMethod(HttpMethod.POST)
                    .update(client()));
    return config(updated);
  }

  @Override
  public List<PhoneNumberConfig> listNumbers() {
    return listNumbers(null);
  }

  private List<PhoneNumberConfig> listNumbers(String e164) {
    return call(
        "list numbers",
        () -> {
          var reader = IncomingPhoneNumber.reader();
          if (e164 != null) {
            reader.setPhoneNumber(new PhoneNumber(e164));
          }
          List<PhoneNumberConfig> numbers = new ArrayList<>();
          reader.read(client()).forEach(n -> numbers.add(config(n)));
          return numbers;
        });
  }

  private static PhoneNumberConfig config(IncomingPhoneNumber number) {
    return new PhoneNumberConfig(
        number.getSid(),
        number.getPhoneNumber() == null ? null : number.getPhoneNumber().toString(),
        number.getFriendlyName(),
        number.getVoiceUrl(),
        number.getStatusCallback(),
        number.getVoiceFallbackUrl(),
        number.getSmsUrl());
  }

  private TwilioRestClient client() {
    return client.orElseThrow(
        () ->
            new CallControlException(
                Reason.NOT_CONFIGURED,
                null,
                "Twilio is not configured: set PARLEY_TWILIO_ACCOUNT_SID and"
                    + " PARLEY_TWILIO_AUTH_TOKEN",
                null));
  }

  /**
   * Runs one request. A transport failure's message names the address Twilio was called at (an
   * internal proxy or simulator, perhaps): it goes to the log only, and the exception, which API
   * answers and call records quote, says what happened without it.
   */
  private static <T> T call(String what, Supplier<T> request) {
    try {
      return request.get();
    } catch (ApiException e) {
      throw translate(what, e);
    } catch (TwilioException e) {
      log.warn("Could not {}: {}", what, LogSafe.text(e.getMessage()));
      throw new CallControlException(
          Reason.UNAVAILABLE,
          null,
          "Could not " + what + ": Twilio could not be reached (retry later)",
          e);
    }
  }

  /** Twilio's error codes, as Parley's reasons. */
  static CallControlException translate(String what, ApiException e) {
    Integer code = e.getCode();
    Integer status = e.getStatusCode();
    Reason reason;
    String advice = "";
    if (code != null && code == 20003 || status != null && status == 401) {
      reason = Reason.AUTHENTICATION;
      advice = " (check PARLEY_TWILIO_ACCOUNT_SID and PARLEY_TWILIO_AUTH_TOKEN)";
    } else if (code != null && code == 20404 || status != null && status == 404) {
      reason = Reason.NOT_FOUND;
    } else if (code != null && code == 20429 || status != null && status == 429) {
      reason = Reason.RATE_LIMITED;
      advice = " (retry later)";
    } else if (code != null && (code == 21211 || code == 21212)) {
      reason = Reason.INVALID_NUMBER;
    } else if (code != null && code == 21220) {
      reason = Reason.CALL_NOT_IN_PROGRESS;
    } else if (status != null && status >= 500) {
      reason = Reason.UNAVAILABLE;
      advice = " (retry later)";
    } else {
      reason = Reason.REJECTED;
    }
    return new CallControlException(
        reason,
        code,
        "Could not "
            + what
            + ": Twilio error "
            + (code == null ? "?" : code)
            + " "
            + LogSafe.text(e.getMessage())
            + advice,
        e);
  }
}
