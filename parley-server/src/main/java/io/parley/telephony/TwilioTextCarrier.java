package io.parley.telephony;

import com.twilio.exception.ApiException;
import com.twilio.exception.TwilioException;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.account.Message;
import com.twilio.type.PhoneNumber;
import io.parley.providers.OutboundHttp;
import io.parley.providers.ProviderRegistry;
import io.parley.shared.LogSafe;
import io.parley.sms.TextCarrier;
import io.parley.sms.TextCarrierException;
import io.parley.sms.TextCarrierException.Kind;
import java.net.URI;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * {@link TextCarrier} through twilio-java's Messages resource, sent to {@code
 * PARLEY_TWILIO_API_URL}, with status callbacks to {@code /twilio/sms-status?message=<id>} (the id
 * lets a callback that overtakes the create's answer still find its message).
 */
@Component
class TwilioTextCarrier implements TextCarrier {

  private static final Logger log = LoggerFactory.getLogger(TwilioTextCarrier.class);

  private final Optional<TwilioRestClient> client;
  private final PublicUrls urls;

  TwilioTextCarrier(ProviderRegistry providers, OutboundHttp outbound, PublicUrls urls) {
    this.urls = urls;
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
  public Optional<String> notReady() {
    if (client.isEmpty()) {
      return Optional.of(
          "Twilio is not configured: set PARLEY_TWILIO_ACCOUNT_SID and PARLEY_TWILIO_AUTH_TOKEN.");
    }
    if (urls.base().isEmpty()) {
      return Optional.of(
          "Parley does not know the address Twilio reaches it at: set PARLEY_PUBLIC_URL.");
    }
    return Optional.empty();
  }

  @Override
  public Accepted send(OutgoingText text) {
    TwilioRestClient twilio =
        client.orElseThrow(
            () ->
                new TextCarrierException(
                    Kind.NOT_CONFIGURED,
                    null,
                    "Twilio is not configured: set PARLEY_TWILIO_ACCOUNT_SID and"
                        + " PARLEY_TWILIO_AUTH_TOKEN",
                    null));
    URI base =
        urls.base()
            .orElseThrow(
                () ->
                    new TextCarrierException(
                        Kind.NOT_CONFIGURED, null, "PARLEY_PUBLIC_URL is not set", null));
    URI callback =
        URI.create(urls.webhook(base, PublicUrls.SMS_STATUS) + "?message=" + text.messageId());
    try {
      Message message =
          Message.creator(new PhoneNumber(text.to()), new PhoneNumber(text.from()), text.body())
              .setStatusCallback(callback)
              .create(twilio);
      return new Accepted(
          message.getSid(),
          message.getStatus() == null ? null : message.getStatus().toString(),
          segments(message.getNumSegments()));
    } catch (ApiException e) {
      throw translate(text.to(), e);
    } catch (TwilioException e) {
      // The message may name an internal address (a proxy, the simulator): the log only.
      log.warn("Could not text {}: {}", LogSafe.text(text.to()), LogSafe.text(e.getMessage()));
      throw new TextCarrierException(
          Kind.UNAVAILABLE,
          null,
          "Could not text " + text.to() + ": Twilio could not be reached (retry later)",
          e);
    }
  }

  /** Twilio's error codes, as what the sender must do about them. */
  static TextCarrierException translate(String to, ApiException e) {
    Integer code = e.getCode();
    Integer status = e.getStatusCode();
    Kind kind;
    String advice = "";
    if (code != null && code == 20003 || status != null && status == 401) {
      kind = Kind.NOT_CONFIGURED;
      advice = " (check PARLEY_TWILIO_ACCOUNT_SID and PARLEY_TWILIO_AUTH_TOKEN)";
    } else if (code != null && code == 20429
        || status != null && (status == 429 || status >= 500)) {
      kind = Kind.UNAVAILABLE;
      advice = " (retry later)";
    } else {
      kind = Kind.REFUSED;
    }
    return new TextCarrierException(
        kind,
        code,
        "Could not text "
            + to
            + ": Twilio error "
            + (code == null ? "?" : code)
            + " "
            + LogSafe.text(e.getMessage())
            + advice,
        e);
  }

  private static Integer segments(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      return Integer.valueOf(text.strip());
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
