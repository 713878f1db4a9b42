package io.parley.conversation;

import java.util.Optional;
import java.util.UUID;

/**
 * Campaigns' uploaded recordings (the campaigns module keeps them): a drop hears the safe-harbour
 * recording rather than the message spoken in the agent's voice, and a machine's beep is followed
 * by the voicemail recording rather than the voicemail text.
 *
 * <p>Both are called off the media loop, once per campaign call as it starts; implementations cache
 * the audio and only check its version.
 */
public interface CampaignAudio {

  /** The campaign's safe-harbour recording as μ-law 8 kHz mono, if it has one. */
  Optional<byte[]> safeHarbour(UUID campaignId);

  /** The campaign's voicemail recording as μ-law 8 kHz mono, if it has one. */
  Optional<byte[]> voicemail(UUID campaignId);
}
