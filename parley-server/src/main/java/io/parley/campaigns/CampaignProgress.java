package io.parley.campaigns;

import java.util.Map;

/**
 * How a campaign is doing now, read from its leads and its attempts' call records.
 *
 * @param inCall leads whose call is ringing or talking
 * @param waitingForSlot leads claimed by a node and waiting for their dial slot
 * @param attempts calls placed so far
 * @param answered attempts someone (or something) answered
 * @param machines attempts answering-machine detection found a machine (or fax) on
 * @param outcomes attempts by outcome (those that have one)
 * @param callsLastMinute attempts placed over the last minute: the campaign's dial rate now
 * @param answerRate answered / attempts, or null before the first attempt
 * @param machineRate machines / answered, or null before the first answer
 * @param etaMinutes leads still to call (pending and retries) at the last minute's rate, or null
 *     when nothing was dialled in the last minute
 * @param liveAnswered answers by a person (or unknown, or with detection off) over the last 30 days
 * @param drops live answers over the last 30 days that heard no agent within 2 s, or that Parley
 *     ended before speaking
 * @param dropRate drops / liveAnswered over the last 30 days (the abandonment rate the rules limit
 *     to 3 %), or null before the first live answer
 * @param amdHangUpRate answers hung up on as machines or faxes / answers over the last 30 days, or
 *     null before the first answer
 */
public record CampaignProgress(
    long inCall,
    long waitingForSlot,
    long attempts,
    long answered,
    long machines,
    Map<String, Long> outcomes,
    long callsLastMinute,
    Double answerRate,
    Double machineRate,
    Long etaMinutes,
    long liveAnswered,
    long drops,
    Double dropRate,
    Double amdHangUpRate) {

  public CampaignProgress {
    outcomes = Map.copyOf(outcomes);
  }
}
