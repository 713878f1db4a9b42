package io.parley.support;

import io.parley.sim.twilio.TwilioConfig;
import java.util.Arrays;

/** Twilio simulator settings shared by the server's whole-call tests. */
public final class SimTwilio {

  private SimTwilio() {}

  /** The default simulated account, owning these numbers (no voice URLs set yet). */
  public static TwilioConfig owning(String... numbers) {
    return TwilioConfig.defaults()
        .withNumbers(
            Arrays.stream(numbers)
                .map(number -> new TwilioConfig.PhoneNumber(number, null, null, null))
                .toList());
  }
}
