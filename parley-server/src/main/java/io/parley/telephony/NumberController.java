package io.parley.telephony;

import io.parley.agents.AgentDirectory;
import io.parley.agents.AgentSnapshot;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/numbers}: the Twilio account's phone numbers as Twilio holds them right now
 * (IncomingPhoneNumbers), the agent that answers each, and whether its voice and SMS URLs lead to
 * this Parley. Read live from Twilio on every request rather than from the sync results, because
 * what matters is where calls go today: someone may have repointed a number in the console.
 */
@RestController
@RequestMapping("/api/numbers")
class NumberController {

  private final CallControl control;
  private final AgentDirectory agents;
  private final PublicUrls urls;

  NumberController(CallControl control, AgentDirectory agents, PublicUrls urls) {
    this.control = control;
    this.agents = agents;
    this.urls = urls;
  }

  /**
   * One number.
   *
   * @param agentId the agent whose {@code twilioNumber} it is, or null
   * @param voicePointsAtParley the voice URL is this Parley's {@code /twilio/voice}
   * @param smsPointsAtParley the SMS URL is under this Parley's base URL
   */
  record NumberView(
      String sid,
      String phoneNumber,
      String friendlyName,
      UUID agentId,
      String agentName,
      URI voiceUrl,
      URI smsUrl,
      boolean voicePointsAtParley,
      boolean smsPointsAtParley) {}

  /**
   * @param parleyUrl the base URL the webhooks were compared with
   */
  record NumberList(URI parleyUrl, List<NumberView> items) {}

  @GetMapping
  @PreAuthorize("hasRole('VIEWER')")
  @Operation(
      summary =
          "The Twilio account's numbers, the agent answering each, and whether their voice and"
              + " SMS URLs point at Parley (503 when Twilio is not configured)")
  NumberList list(HttpServletRequest request) {
    List<CallControl.PhoneNumberConfig> numbers;
    try {
      numbers = control.listNumbers();
    } catch (CallControlException e) {
      throw TwilioProblem.of(e);
    }
    URI base = urls.base(request);
    URI voice = urls.webhook(base, PublicUrls.VOICE);
    List<NumberView> items =
        numbers.stream()
            .sorted(
                Comparator.comparing(
                    CallControl.PhoneNumberConfig::phoneNumber,
                    Comparator.nullsLast(Comparator.naturalOrder())))
            .map(n -> view(n, base, voice))
            .toList();
    return new NumberList(base, items);
  }

  private NumberView view(CallControl.PhoneNumberConfig number, URI base, URI voice) {
    Optional<AgentSnapshot> agent = agents.findByNumber(number.phoneNumber());
    return new NumberView(
        number.sid(),
        number.phoneNumber(),
        number.friendlyName(),
        agent.map(AgentSnapshot::agentId).orElse(null),
        agent.map(a -> a.config().name()).orElse(null),
        number.voiceUrl(),
        number.smsUrl(),
        voice.equals(number.voiceUrl()),
        under(base, number.smsUrl()));
  }

  /** Whether {@code url} is the base or a path below it (not merely a longer host or path). */
  static boolean under(URI base, URI url) {
    if (url == null) {
      return false;
    }
    String root = base.toString();
    String text = url.toString();
    return text.equals(root) || text.startsWith(root + "/");
  }
}
