package io.parley.dialing;

import java.math.BigDecimal;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Account-wide dialling limits.
 *
 * @param twilioCps {@code PARLEY_TWILIO_CPS}: new calls per second the Twilio account allows,
 *     shared by every node, campaign and manual call (default 1, Twilio's account default; raise it
 *     only when Twilio has raised the account's limit)
 * @param inboundReserve {@code PARLEY_INBOUND_RESERVE}: call places of each node that campaigns
 *     leave free for inbound calls and manual dials (default 2)
 */
@ConfigurationProperties("parley")
public record DialingSettings(BigDecimal twilioCps, Integer inboundReserve) {

  static final BigDecimal DEFAULT_TWILIO_CPS = BigDecimal.ONE;
  static final int DEFAULT_INBOUND_RESERVE = 2;

  public DialingSettings {
    twilioCps = twilioCps == null ? DEFAULT_TWILIO_CPS : twilioCps;
    inboundReserve = inboundReserve == null ? DEFAULT_INBOUND_RESERVE : inboundReserve;
    if (twilioCps.compareTo(new BigDecimal("0.01")) < 0
        || twilioCps.compareTo(BigDecimal.valueOf(1000)) > 0) {
      throw new IllegalArgumentException(
          "PARLEY_TWILIO_CPS must be from 0.01 to 1000 calls per second, not " + twilioCps);
    }
    if (inboundReserve < 0) {
      throw new IllegalArgumentException(
          "PARLEY_INBOUND_RESERVE must be 0 or more, not " + inboundReserve);
    }
  }
}
