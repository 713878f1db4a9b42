package io.parley.dialing;

import io.parley.telephony.CallCapacity;
import java.util.UUID;
import org.springframework.stereotype.Component;

/** Dials for campaigns, on the same path and checks as {@code POST /api/calls}. */
@Component
public class CampaignDialing {

  private final Dialer dialer;
  private final CallCapacity capacity;
  private final int inboundReserve;

  CampaignDialing(Dialer dialer, CallCapacity capacity, DialingSettings settings) {
    this.dialer = dialer;
    this.capacity = capacity;
    this.inboundReserve = settings.inboundReserve();
  }

  /**
   * Call places this node may still give campaigns: {@code PARLEY_MAX_CONCURRENT_CALLS} minus the
   * live calls minus {@code PARLEY_INBOUND_RESERVE}.
   */
  public int freePlaces() {
    return Math.max(0, capacity.limit() - capacity.active() - inboundReserve);
  }

  /**
   * Waits for the dial's slot, checks it against the rules, and dials; see {@link LeadDialResult}.
   */
  public LeadDialResult dial(UUID organisationId, LeadDial dial) {
    return dialer.dialLead(organisationId, dial);
  }
}
