package io.parley.sim.twilio;

import io.parley.sim.http.Params;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@code X-Twilio-Signature} exactly as Twilio computes it: the full URL, then every POST parameter
 * as name + value sorted by name (repeated keys sorted by value), HMAC-SHA1 with the auth token,
 * Base64.
 */
public final class TwilioSignature {
  private TwilioSignature() {}

  public static String sign(String authToken, String url, Params postParams) {
    List<Map.Entry<String, String>> sorted = new ArrayList<>(postParams.pairs());
    sorted.sort(
        Comparator.comparing(Map.Entry<String, String>::getKey).thenComparing(Map.Entry::getValue));
    StringBuilder data = new StringBuilder(url);
    for (Map.Entry<String, String> e : sorted) {
      data.append(e.getKey()).append(e.getValue());
    }
    try {
      Mac mac = Mac.getInstance("HmacSHA1");
      mac.init(new SecretKeySpec(authToken.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
      byte[] digest = mac.doFinal(data.toString().getBytes(StandardCharsets.UTF_8));
      return Base64.getEncoder().encodeToString(digest);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA1 is part of every JDK", e);
    }
  }
}
