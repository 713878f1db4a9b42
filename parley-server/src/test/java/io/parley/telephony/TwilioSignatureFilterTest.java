package io.parley.telephony;

import static org.assertj.core.api.Assertions.assertThat;

import com.twilio.security.RequestValidator;
import io.parley.sim.http.Params;
import io.parley.sim.twilio.TwilioSignature;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

/** The signature check on its own, with requests built by hand. */
class TwilioSignatureFilterTest {

  private static final String TOKEN = "12345678901234567890123456789012";
  private final PublicUrls urls =
      new PublicUrls(new TelephonySettings(null, null, null), () -> 8081);
  private final JsonMapper json = JsonMapper.builder().build();

  private static MockHttpServletRequest post(String query, Map<String, List<String>> body) {
    MockHttpServletRequest request = new MockHttpServletRequest("POST", "/twilio/status");
    request.setScheme("https");
    request.setServerName("parley.example.com");
    request.setServerPort(443);
    request.setContentType("application/x-www-form-urlencoded");
    if (query != null) {
      request.setQueryString(query);
      for (String pair : query.split("&")) {
        String[] kv = pair.split("=", 2);
        request.addParameter(kv[0], kv[1]);
      }
    }
    body.forEach((name, values) -> values.forEach(v -> request.addParameter(name, v)));
    return request;
  }

  private MockHttpServletResponse run(TwilioSignatures signatures, MockHttpServletRequest request)
      throws Exception {
    MockHttpServletResponse response = new MockHttpServletResponse();
    MockFilterChain chain = new MockFilterChain();
    new TwilioSignatureFilter(signatures, urls, json).doFilter(request, response, chain);
    if (chain.getRequest() != null) {
      response.setStatus(200);
    }
    return response;
  }

  @Test
  void anUnconfiguredServerRefusesEveryWebhook() throws Exception {
    MockHttpServletRequest request = post(null, Map.of("CallSid", List.of("CA1")));
    request.addHeader(TwilioSignatureFilter.HEADER, "anything");

    MockHttpServletResponse response = run(new TwilioSignatures(Optional.empty()), request);

    assertThat(response.getStatus()).isEqualTo(403);
    assertThat(response.getContentType()).startsWith("application/problem+json");
    assertThat(response.getContentAsString()).contains("Twilio is not configured");
  }

  @Test
  void queryParametersAreSignedAsPartOfTheUrlNotAsBodyParameters() throws Exception {
    Map<String, List<String>> body =
        Map.of("CallSid", List.of("CA1"), "CallStatus", List.of("ringing"));
    MockHttpServletRequest request = post("attempt=2", body);
    String url = "https://parley.example.com/twilio/status?attempt=2";
    request.addHeader(
        TwilioSignatureFilter.HEADER,
        TwilioSignature.sign(
            TOKEN,
            url,
            new Params(List.of(Map.entry("CallSid", "CA1"), Map.entry("CallStatus", "ringing")))));

    assertThat(TwilioSignatureFilter.postParams(request)).isEqualTo(body);
    assertThat(run(new TwilioSignatures(Optional.of(TOKEN)), request).getStatus()).isEqualTo(200);
  }

  @Test
  void repeatedParametersAreCheckedAsTwilioSignsThem() throws Exception {
    MockHttpServletRequest request =
        post(null, Map.of("CallSid", List.of("CA1"), "RecordingSid", List.of("RE2", "RE1")));
    String url = "https://parley.example.com/twilio/status";
    request.addHeader(
        TwilioSignatureFilter.HEADER,
        TwilioSignature.sign(
            TOKEN,
            url,
            new Params(
                List.of(
                    Map.entry("CallSid", "CA1"),
                    Map.entry("RecordingSid", "RE2"),
                    Map.entry("RecordingSid", "RE1")))));

    assertThat(run(new TwilioSignatures(Optional.of(TOKEN)), request).getStatus()).isEqualTo(200);
  }

  @Test
  void agreesWithTwilioJavasValidatorAndRefusesAnythingElse() throws Exception {
    TwilioSignatures signatures = new TwilioSignatures(Optional.of(TOKEN));
    String url = "https://parley.example.com/twilio/status";
    Map<String, String> params = Map.of("CallSid", "CA1", "CallStatus", "completed");
    String good = TwilioSignature.sign(TOKEN, url, Params.of(params));
    assertThat(new RequestValidator(TOKEN).validate(url, params, good)).isTrue();

    Map<String, List<String>> body =
        Map.of("CallSid", List.of("CA1"), "CallStatus", List.of("completed"));
    assertThat(signatures.valid(url, body, good)).isTrue();
    assertThat(signatures.valid(url + "?x=1", body, good)).isFalse();
    assertThat(
            signatures.valid(
                url, Map.of("CallSid", List.of("CA1"), "CallStatus", List.of("busy")), good))
        .isFalse();
    assertThat(signatures.valid(url, body, null)).isFalse();
  }
}
