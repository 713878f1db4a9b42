package io.parley.dialing;

import io.parley.calls.CallStatus;
import io.parley.calls.CarrierCalls;
import io.parley.telephony.CallControl;
import io.parley.telephony.CallControlException;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * Twilio's open calls for the live calls check ({@code GET /api/calls/live?reconcile=true}). Here
 * rather than in the calls module because that module may not depend on telephony (telephony
 * depends on it); dialing already compares records with Twilio (the {@link CallReconciler}) and
 * knows how to answer Twilio's failures (502, 503).
 */
@Component
class TwilioCarrierCalls implements CarrierCalls {

  private final CallControl control;

  TwilioCarrierCalls(CallControl control) {
    this.control = control;
  }

  @Override
  public List<CarrierCall> unfinished() {
    try {
      return control.unfinishedCalls(LIMIT).stream()
          .map(
              call ->
                  new CarrierCall(
                      call.callSid(),
                      // Only queued, ringing and in-progress are asked for.
                      call.callStatus().orElse(CallStatus.QUEUED),
                      call.from(),
                      call.to(),
                      call.startTime()))
          .toList();
    } catch (CallControlException e) {
      if (e.reason() == CallControlException.Reason.NOT_CONFIGURED) {
        throw DialRefusal.notConfigured(e.getMessage());
      }
      throw DialRefusal.twilioFailed(null, "Twilio could not list its calls: " + e.getMessage());
    }
  }
}
