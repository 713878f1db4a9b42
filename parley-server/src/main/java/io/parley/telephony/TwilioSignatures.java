package io.parley.telephony;

import com.twilio.security.RequestValidator;
import io.parley.providers.ProviderRegistry;
import io.parley.providers.TwilioAccount;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.stereotype.Component;

/**
 * Checks {@code X-Twilio-Signature}: HMAC-SHA1 with the account's auth token over the URL Twilio
 * requested followed by every POST parameter (name then value, sorted by name). twilio-java's
 * {@link RequestValidator} does it (including its with- and without-port variants of the URL) when
 * each parameter appears once; a parameter Twilio repeats (several {@code RecordingUrl}s) cannot be
 * put in its map, so those requests are checked here the same way, repeated values sorted.
 */
@Component
class TwilioSignatures {

  private final Optional<RequestValidator> validator;
  private final Optional<String> token;

  @org.springframework.beans.factory.annotation.Autowired
  TwilioSignatures(ProviderRegistry providers) {
    this(providers.twilio().map(TwilioAccount::authToken).map(t -> t.reveal()));
  }

  TwilioSignatures(Optional<String> authToken) {
    this.token = authToken;
    this.validator = token.map(RequestValidator::new);
  }

  boolean configured() {
    return token.isPresent();
  }

  /** True when the signature matches the URL and the POST parameters. */
  boolean valid(String url, Map<String, List<String>> postParams, String signature) {
    if (token.isEmpty() || signature == null || signature.isBlank()) {
      return false;
    }
    boolean repeated = postParams.values().stream().anyMatch(v -> v.size() != 1);
    if (!repeated) {
      Map<String, String> single = new HashMap<>();
      postParams.forEach((name, values) -> single.put(name, values.getFirst()));
      return validator.orElseThrow().validate(url, single, signature);
    }
    return MessageDigest.isEqual(
        sign(url, postParams).getBytes(StandardCharsets.UTF_8),
        signature.getBytes(StandardCharsets.UTF_8));
  }

  private String sign(String url, Map<String, List<String>> postParams) {
    StringBuilder data = new StringBuilder(url);
    postParams.keySet().stream()
        .sorted()
        .forEach(
            name -> {
              List<String> values = new ArrayList<>(postParams.get(name));
              values.sort(null);
              values.forEach(value -> data.append(name).append(value));
            });
    try {
      Mac mac = Mac.getInstance("HmacSHA1");
      mac.init(new SecretKeySpec(token.orElseThrow().getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
      return Base64.getEncoder()
          .encodeToString(mac.doFinal(data.toString().getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA1 is part of every JDK", e);
    }
  }
}
