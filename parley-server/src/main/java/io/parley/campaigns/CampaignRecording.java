package io.parley.campaigns;

/**
 * The recordings a campaign may upload: each is a WAV file kept as μ-law in its own table, set and
 * removed at its own path, audited under its own name.
 */
enum CampaignRecording {
  /** What a drop hears instead of the safe-harbour message spoken in the agent's voice. */
  SAFE_HARBOUR("safe-harbour-audio", "campaign_safe_harbour_audio", "campaign.safe_harbour_audio"),
  /** What a machine records after its beep instead of the voicemail text. */
  VOICEMAIL("voicemail-audio", "campaign_voicemail_audio", "campaign.voicemail_audio");

  private final String path;
  private final String table;
  private final String auditAction;

  CampaignRecording(String path, String table, String auditAction) {
    this.path = path;
    this.table = table;
    this.auditAction = auditAction;
  }

  /** The last segment of {@code /api/campaigns/{id}/...}. */
  String path() {
    return path;
  }

  /** The table; a constant, never input, so it may be written into SQL. */
  String table() {
    return table;
  }

  /** The audit action's prefix: {@code _set} and {@code _removed} follow. */
  String auditAction() {
    return auditAction;
  }

  static CampaignRecording ofPath(String path) {
    for (CampaignRecording recording : values()) {
      if (recording.path.equals(path)) {
        return recording;
      }
    }
    throw new IllegalArgumentException("No campaign recording at " + path);
  }
}
