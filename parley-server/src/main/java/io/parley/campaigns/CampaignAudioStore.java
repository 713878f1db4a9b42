package io.parley.campaigns;

import io.parley.conversation.CampaignAudio;
import io.parley.conversation.TelephoneWav;
import io.parley.shared.Actor;
import io.parley.shared.AuditEvent;
import io.parley.shared.ConflictException;
import io.parley.shared.InvalidInputException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Campaigns' recordings (the safe-harbour and the voicemail message): uploaded as WAV, kept as raw
 * μ-law in the database (so every node plays the same one), and cached per node by upload time, so
 * a call asks the database for the version only.
 */
@Service
class CampaignAudioStore implements CampaignAudio {

  /** 60 s of μ-law: either message is a sentence or two. */
  static final int MAX_SECONDS = 60;

  static final int MAX_UPLOAD_BYTES = 2 * 1024 * 1024;

  private record Key(CampaignRecording recording, UUID campaignId) {}

  private record Cached(Instant uploadedAt, byte[] audio) {}

  /** What {@code GET} describes: the recording's length and who uploaded it when. */
  record Description(long durationMs, String fileName, Instant uploadedAt, String uploadedBy) {}

  private final JdbcClient jdbc;
  private final CampaignRepository campaigns;
  private final ApplicationEventPublisher events;
  private final Clock clock;
  private final Map<Key, Cached> cache = new ConcurrentHashMap<>();

  CampaignAudioStore(
      JdbcClient jdbc,
      CampaignRepository campaigns,
      ApplicationEventPublisher events,
      ObjectProvider<Clock> clock) {
    this.jdbc = jdbc;
    this.campaigns = campaigns;
    this.events = events;
    this.clock = clock.getIfUnique(Clock::systemUTC);
  }

  @Override
  public Optional<byte[]> safeHarbour(UUID campaignId) {
    return find(CampaignRecording.SAFE_HARBOUR, campaignId);
  }

  @Override
  public Optional<byte[]> voicemail(UUID campaignId) {
    return find(CampaignRecording.VOICEMAIL, campaignId);
  }

  private Optional<byte[]> find(CampaignRecording recording, UUID campaignId) {
    Key key = new Key(recording, campaignId);
    Optional<Instant> version =
        jdbc.sql("SELECT uploaded_at FROM " + recording.table() + " WHERE campaign_id = :id")
            .param("id", campaignId)
            .query((rs, row) -> rs.getTimestamp(1).toInstant())
            .optional();
    if (version.isEmpty()) {
      cache.remove(key);
      return Optional.empty();
    }
    Cached cached = cache.get(key);
    if (cached != null && cached.uploadedAt().equals(version.get())) {
      return Optional.of(cached.audio());
    }
    Optional<Cached> read =
        jdbc.sql("SELECT uploaded_at, audio FROM " + recording.table() + " WHERE campaign_id = :id")
            .param("id", campaignId)
            .query((rs, row) -> new Cached(rs.getTimestamp(1).toInstant(), rs.getBytes(2)))
            .optional();
    read.ifPresentOrElse(fresh -> cache.put(key, fresh), () -> cache.remove(key));
    return read.map(Cached::audio);
  }

  Optional<Description> describe(
      CampaignRecording recording, UUID organisationId, UUID campaignId) {
    campaigns.existing(organisationId, campaignId);
    return jdbc.sql(
            "SELECT audio, file_name, uploaded_at, uploaded_by_email FROM "
                + recording.table()
                + " WHERE campaign_id = :id")
        .param("id", campaignId)
        .query(
            (rs, row) ->
                new Description(
                    rs.getBytes(1).length / 8L,
                    rs.getString(2),
                    rs.getTimestamp(3).toInstant(),
                    rs.getString(4)))
        .optional();
  }

  /** Replaces the campaign's recording with {@code wav}; audited. */
  @Transactional
  Description upload(
      CampaignRecording recording,
      UUID organisationId,
      UUID campaignId,
      byte[] wav,
      String fileName,
      Actor actor) {
    Campaign campaign = campaigns.lockExisting(organisationId, campaignId);
    if (!campaign.status().isActive()) {
      throw new ConflictException(
          "The campaign is " + campaign.status().wire() + "; its recording can no longer change");
    }
    if (fileName != null && fileName.length() > 200) {
      throw new InvalidInputException("fileName", "must be at most 200 characters");
    }
    byte[] audio = TelephoneWav.toMulaw(wav, "body");
    if (audio.length > MAX_SECONDS * 8000) {
      throw new InvalidInputException(
          "body",
          "must be at most " + MAX_SECONDS + " s long (this is " + audio.length / 8000 + " s)");
    }
    Instant now = clock.instant();
    jdbc.sql("DELETE FROM " + recording.table() + " WHERE campaign_id = :id")
        .param("id", campaignId)
        .update();
    jdbc.sql(
            "INSERT INTO "
                + recording.table()
                + " (campaign_id, audio, file_name, uploaded_at, uploaded_by_id,"
                + " uploaded_by_email) VALUES (:id, :audio, :name, :at, :by, :email)")
        .param("id", campaignId)
        .param("audio", audio)
        .param("name", fileName, java.sql.Types.VARCHAR)
        .param("at", Timestamp.from(now))
        .param("by", actor.userId(), java.sql.Types.VARCHAR)
        .param("email", actor.email(), java.sql.Types.VARCHAR)
        .update();
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("durationMs", audio.length / 8L);
    if (fileName != null) {
      details.put("fileName", fileName);
    }
    audit(actor, recording.auditAction() + "_set", campaignId, details);
    return new Description(audio.length / 8L, fileName, now, actor.email());
  }

  /** Removes the recording (calls then speak the message's text in the agent's voice); audited. */
  @Transactional
  boolean remove(CampaignRecording recording, UUID organisationId, UUID campaignId, Actor actor) {
    campaigns.lockExisting(organisationId, campaignId);
    int removed =
        jdbc.sql("DELETE FROM " + recording.table() + " WHERE campaign_id = :id")
            .param("id", campaignId)
            .update();
    if (removed > 0) {
      audit(actor, recording.auditAction() + "_removed", campaignId, Map.of());
    }
    return removed > 0;
  }

  private void audit(Actor actor, String action, UUID campaignId, Map<String, Object> details) {
    events.publishEvent(
        new AuditEvent(
            actor.userId(), actor.email(), action, "campaign", campaignId.toString(), details));
  }
}
