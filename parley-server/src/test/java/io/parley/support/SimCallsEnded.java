package io.parley.support;

import io.micrometer.core.instrument.MeterRegistry;
import io.parley.sim.Sim;
import io.parley.sim.twilio.SimCall;
import io.parley.telephony.CallControl;
import java.time.Duration;
import org.awaitility.Awaitility;

/**
 * Ends what a test left ringing or talking at the Twilio simulator, so its callbacks do not reach
 * the next test, and waits until the node's answered calls have finished writing their records (the
 * next test empties the tables).
 */
public final class SimCallsEnded {

  private SimCallsEnded() {}

  public static void await(Sim sim, CallControl control, MeterRegistry meters) throws Exception {
    for (SimCall call : sim.twilio().calls()) {
      if (!call.isEnded()) {
        try {
          control.hangUp(call.sid());
        } catch (RuntimeException e) {
          // ended meanwhile
        }
        call.awaitEnd(Duration.ofSeconds(5));
      }
    }
    Awaitility.await()
        .atMost(Duration.ofSeconds(15))
        .until(
            () -> {
              var active = meters.find("parley.calls.active").gauge();
              return active == null || active.value() == 0;
            });
  }
}
