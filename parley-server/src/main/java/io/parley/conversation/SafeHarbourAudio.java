package io.parley.conversation;

import java.util.Optional;
import java.util.UUID;

/**
 * A campaign's safe-harbour message as an uploaded recording (the campaigns module keeps them):
 * when a campaign has one, a drop hears it rather than the message spoken in the agent's voice.
 */
public interface SafeHarbourAudio {

  /**
   * The campaign's recording as μ-law 8 kHz mono, if it has one. Called off the media loop, once
   * per campaign call as it starts; implementations cache the audio and only check its version.
   */
  Optional<byte[]> find(UUID campaignId);
}
