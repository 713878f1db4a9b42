package io.parley.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.auth.SigningKeys;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.mockito.Mockito;

/** The signature format and the sealing of secrets. */
class WebhookSignatureTest {

  @Test
  void signatureIsHmacSha256OfTimestampDotBodyAsOpensslComputesIt() {
    // printf '%s' '1700000000.{"id":"e1","type":"call.ended"}' \
    //   | openssl dgst -sha256 -hmac 'whsec_test-secret' -hex
    assertThat(
            WebhookSecrets.signature(
                "whsec_test-secret", 1_700_000_000L, "{\"id\":\"e1\",\"type\":\"call.ended\"}"))
        .isEqualTo(
            "t=1700000000,v1=d9d901d0cccc5f4e44b0a4c61dd37180c3d897f80882d494c6a81058d8ba5c7d");
  }

  @Test
  void secretsAreRandomSealedAndBoundToTheirEndpoint() {
    SigningKeys keys = Mockito.mock(SigningKeys.class);
    Mockito.when(keys.sign("webhook-secrets", "sealing key v1")).thenReturn(new byte[32]);
    WebhookSecrets secrets = new WebhookSecrets(keys);
    String secret = secrets.generate();
    assertThat(secret).startsWith("whsec_").hasSize(6 + 43).isNotEqualTo(secrets.generate());
    UUID endpoint = UUID.randomUUID();
    String sealed = secrets.seal(endpoint, secret);
    assertThat(sealed).startsWith("v1:").doesNotContain(secret.substring(6));
    assertThat(secrets.open(endpoint, sealed)).isEqualTo(secret);
    // Copied onto another endpoint's row, it opens nothing.
    assertThatThrownBy(() -> secrets.open(UUID.randomUUID(), sealed))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("rotate the secret");
  }
}
