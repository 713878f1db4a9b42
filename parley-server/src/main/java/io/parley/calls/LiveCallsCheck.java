package io.parley.calls;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The live calls list checked against the carrier: for each call Parley thinks is open, what Twilio
 * says; and the calls Twilio has open that no record names (placed by another application on the
 * account, or a record whose CallSid was never stored). It reports and changes nothing: settling a
 * call that disagrees is the reconciler's work.
 *
 * @param checkedAt when the carrier was asked
 * @param calls Parley's open calls, oldest first
 * @param unknownToParley the carrier's open calls that no listed record names
 */
record LiveCallsCheck(
    Instant checkedAt, List<Checked> calls, List<CarrierCalls.CarrierCall> unknownToParley) {

  /**
   * One of Parley's open calls and the carrier's view of it.
   *
   * @param twilioStatus the carrier's status, or null when the carrier has no open call with its
   *     CallSid (it has ended there, or it never had a CallSid)
   * @param inProgressAtTwilio whether the carrier says the call is answered and going on
   */
  record Checked(LiveCall call, CallStatus twilioStatus, boolean inProgressAtTwilio) {}

  static LiveCallsCheck of(
      Instant checkedAt, List<LiveCall> open, List<CarrierCalls.CarrierCall> carrier) {
    Map<String, CarrierCalls.CarrierCall> bySid =
        carrier.stream()
            .collect(
                Collectors.toMap(
                    CarrierCalls.CarrierCall::callSid, Function.identity(), (a, b) -> a));
    Set<String> known = new HashSet<>();
    List<Checked> checked =
        open.stream()
            .map(
                call -> {
                  CarrierCalls.CarrierCall twilio =
                      call.callSid() == null ? null : bySid.get(call.callSid());
                  if (twilio != null) {
                    known.add(twilio.callSid());
                  }
                  CallStatus status = twilio == null ? null : twilio.status();
                  return new Checked(call, status, status == CallStatus.IN_PROGRESS);
                })
            .toList();
    List<CarrierCalls.CarrierCall> unknown =
        carrier.stream().filter(call -> !known.contains(call.callSid())).toList();
    return new LiveCallsCheck(checkedAt, checked, unknown);
  }
}
