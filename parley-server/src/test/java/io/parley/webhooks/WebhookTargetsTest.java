package io.parley.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The address and URL rules, with names resolved by a table instead of DNS. */
class WebhookTargetsTest {

  private static final Map<String, List<String>> DNS =
      Map.of(
          "hooks.example.com", List.of("93.184.216.34"),
          "rebind.example.com", List.of("127.0.0.1"),
          "mixed.example.com", List.of("93.184.216.34", "10.1.2.3"),
          "metadata.example.com", List.of("169.254.169.254"));

  private final WebhookTargets strict = new WebhookTargets(false, WebhookTargetsTest::resolve);
  private final WebhookTargets loopback = new WebhookTargets(true, WebhookTargetsTest::resolve);

  private static List<InetAddress> resolve(String host) throws UnknownHostException {
    List<String> addresses = DNS.get(host);
    if (addresses == null) {
      // Literal addresses resolve to themselves, as InetAddress.getAllByName does.
      if (Character.isDigit(host.charAt(0)) || host.contains(":")) {
        return List.of(InetAddress.getByName(host));
      }
      throw new UnknownHostException(host);
    }
    return addresses.stream()
        .map(
            a -> {
              try {
                return InetAddress.getByName(a);
              } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
              }
            })
        .toList();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://10.0.0.1/hook",
        "https://169.254.169.254/latest/meta-data/",
        "https://172.16.5.4/",
        "https://192.168.1.10/",
        "https://100.64.0.1/",
        "https://0.0.0.0/",
        "https://127.0.0.1/",
        "https://[::1]/",
        "https://[fe80::1]/",
        "https://[fd00:ec2::254]/",
        "https://[::ffff:10.0.0.1]/",
        "https://[::ffff:169.254.169.254]/",
        "https://[64:ff9b::a9fe:a9fe]/",
        "https://[2002:a00:1::]/",
        "https://224.0.0.1/",
        "https://rebind.example.com/hook",
        "https://metadata.example.com/",
        "https://mixed.example.com/"
      })
  void refusesAddressesThatAreNotPublic(String url) {
    assertThat(strict.urlProblem(url)).isEmpty();
    assertThat(strict.addressProblem(url)).get().asString().contains("may not reach");
  }

  @Test
  void aNameResolvingToLoopbackIsRefusedUnlessTheTestSettingAllowsIt() {
    assertThat(strict.addressProblem("https://rebind.example.com/hook"))
        .get()
        .asString()
        .contains("127.0.0.1, a loopback address");
    assertThat(loopback.addressProblem("https://rebind.example.com/hook")).isEmpty();
    // The test setting opens loopback only: private and metadata addresses stay refused.
    assertThat(loopback.addressProblem("https://10.0.0.1/")).isPresent();
    assertThat(loopback.addressProblem("https://169.254.169.254/")).isPresent();
  }

  @Test
  void acceptsPublicHttpsTargets() {
    assertThat(strict.urlProblem("https://hooks.example.com/parley?x=1")).isEmpty();
    assertThat(strict.addressProblem("https://hooks.example.com/parley?x=1")).isEmpty();
    assertThat(strict.addressProblem("https://[2606:4700::1111]/")).isEmpty();
  }

  @Test
  void urlsMustBeHttpsWithAHostAndNoCredentials() {
    assertThat(strict.urlProblem("http://hooks.example.com/")).contains("must be an https:// URL");
    assertThat(loopback.urlProblem("http://127.0.0.1:8080/")).isEmpty();
    assertThat(strict.urlProblem("ftp://hooks.example.com/")).isPresent();
    assertThat(strict.urlProblem("https://user:pw@hooks.example.com/"))
        .contains("must not carry a user name or password");
    assertThat(strict.urlProblem("https:///path")).isPresent();
    assertThat(strict.urlProblem("not a url")).isPresent();
    assertThat(strict.urlProblem("")).contains("is required");
    assertThat(strict.urlProblem("https://hooks.example.com/" + "a".repeat(2000))).isPresent();
  }

  @Test
  void aNameThatDoesNotResolveIsRefused() {
    assertThat(strict.addressProblem("https://nowhere.example.com/"))
        .get()
        .asString()
        .contains("does not resolve");
  }
}
