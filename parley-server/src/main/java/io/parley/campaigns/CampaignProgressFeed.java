package io.parley.campaigns;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The live progress of the campaigns someone watches, read once per poll per campaign for all of
 * its viewers on this node: fifty supervisors on one campaign cost what one costs. While a campaign
 * has at least one viewer the feed reads its {@link CampaignProgressSource} every second on the
 * feed's thread, serialises the result once when it changed and hands that text to every viewer of
 * the campaign; a new viewer gets the latest text at once without a query. A campaign nobody
 * watches is not read. Every {@link #HEARTBEAT} it asks every viewer for a heartbeat, so proxies
 * keep the streams open and dead clients are found.
 *
 * <p>When a poll finds the campaign {@linkplain CampaignLiveProgress#finished() finished}
 * (completed or cancelled, no lead in a call), its viewers get that last progress, then {@link
 * Viewer#ended}, and the feed forgets the campaign; a campaign that is gone closes its viewers.
 *
 * <p>The same design as the live calls feed ({@code calls.LiveCallsFeed}), keyed by campaign.
 * Viewers must not block: the feed calls them under its lock, on its thread. {@link
 * CampaignProgressViewer} hands each message to the stream's own writer.
 */
@Component
class CampaignProgressFeed implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(CampaignProgressFeed.class);

  static final Duration POLL = Duration.ofSeconds(1);
  static final Duration HEARTBEAT = Duration.ofSeconds(15);

  /** A connected viewer of one campaign; every method returns at once. */
  interface Viewer {

    /** The campaign's progress, as the JSON object of the {@code progress} event. */
    void progress(String json);

    /**
     * The campaign has finished; {@code json} is its final progress (just sent). End the stream
     * after saying so.
     */
    void ended(String json);

    void heartbeat();

    /** The feed is stopping or the campaign is gone: end the stream. */
    void close();
  }

  /** One watched campaign. Guarded by the feed's lock. */
  private static final class Watch {
    final UUID campaignId;
    final Set<Viewer> viewers = new LinkedHashSet<>();
    ScheduledFuture<?> polling;
    CampaignLiveProgress latest;
    String latestJson;
    boolean failing;

    Watch(UUID campaignId) {
      this.campaignId = campaignId;
    }
  }

  private final CampaignProgressSource source;
  private final JsonMapper json;
  private final Duration poll;
  private final Duration heartbeat;

  private final Object lock = new Object();
  // guarded by lock
  private final Map<UUID, Watch> watched = new HashMap<>();
  private ScheduledExecutorService scheduler;
  private ScheduledFuture<?> beating;

  @Autowired
  CampaignProgressFeed(CampaignProgressSource source, JsonMapper json) {
    this(source, json, POLL, HEARTBEAT);
  }

  CampaignProgressFeed(
      CampaignProgressSource source, JsonMapper json, Duration poll, Duration heartbeat) {
    this.source = source;
    this.json = json;
    this.poll = poll;
    this.heartbeat = heartbeat;
  }

  /**
   * Adds a viewer of the campaign, which gets the campaign's latest progress at once when the feed
   * has it (else after the first poll, which the first viewer's arrival starts). Returns what to
   * call when the viewer leaves.
   */
  Runnable subscribe(UUID campaignId, Viewer viewer) {
    synchronized (lock) {
      if (scheduler == null) {
        viewer.close();
        return () -> {};
      }
      Watch watch = watched.get(campaignId);
      if (watch == null) {
        watch = new Watch(campaignId);
        watched.put(campaignId, watch);
        Watch polled = watch;
        watch.polling =
            scheduler.scheduleWithFixedDelay(
                () -> poll(polled), 0, poll.toMillis(), TimeUnit.MILLISECONDS);
      }
      watch.viewers.add(viewer);
      if (watch.latestJson != null) {
        viewer.progress(watch.latestJson);
      }
      if (beating == null) {
        long beatMillis = heartbeat.toMillis();
        beating =
            scheduler.scheduleAtFixedRate(
                this::heartbeat, beatMillis, beatMillis, TimeUnit.MILLISECONDS);
      }
    }
    return () -> unsubscribe(campaignId, viewer);
  }

  private void unsubscribe(UUID campaignId, Viewer viewer) {
    synchronized (lock) {
      Watch watch = watched.get(campaignId);
      if (watch != null && watch.viewers.remove(viewer) && watch.viewers.isEmpty()) {
        forget(watch);
      }
    }
  }

  /**
   * Stops reading the campaign and drops what the feed knew of it: it would be stale when the next
   * viewer comes. With no campaign left the heartbeat stops too.
   */
  private void forget(Watch watch) {
    watch.polling.cancel(false);
    watched.remove(watch.campaignId, watch);
    if (watched.isEmpty() && beating != null) {
      beating.cancel(false);
      beating = null;
    }
  }

  /**
   * One read of one campaign for all its viewers. A task that throws would never run again, so
   * nothing escapes.
   */
  private void poll(Watch watch) {
    Optional<CampaignLiveProgress> read;
    try {
      read = source.progress(watch.campaignId);
    } catch (RuntimeException e) {
      synchronized (lock) {
        if (!watch.failing) {
          log.warn(
              "Could not read the progress of campaign {} (retrying every {}): {}",
              watch.campaignId,
              poll,
              e.toString());
          watch.failing = true;
        }
      }
      return;
    }
    synchronized (lock) {
      if (watched.get(watch.campaignId) != watch) {
        return; // its last viewer left while it was read
      }
      if (watch.failing) {
        log.info("Reading the progress of campaign {} again", watch.campaignId);
        watch.failing = false;
      }
      if (read.isEmpty()) {
        List<Viewer> leaving = new ArrayList<>(watch.viewers);
        forget(watch);
        leaving.forEach(Viewer::close);
        return;
      }
      CampaignLiveProgress now = read.get();
      if (!now.equals(watch.latest)) {
        String text;
        try {
          text = json.writeValueAsString(now);
        } catch (RuntimeException e) {
          log.warn(
              "Could not write the progress of campaign {} as JSON: {}",
              watch.campaignId,
              e.toString());
          return;
        }
        watch.latest = now;
        watch.latestJson = text;
        watch.viewers.forEach(viewer -> viewer.progress(text));
      }
      if (now.finished()) {
        String last = watch.latestJson;
        List<Viewer> leaving = new ArrayList<>(watch.viewers);
        forget(watch);
        leaving.forEach(viewer -> viewer.ended(last));
      }
    }
  }

  private void heartbeat() {
    synchronized (lock) {
      watched.values().forEach(watch -> watch.viewers.forEach(Viewer::heartbeat));
    }
  }

  /** How many viewers are connected, over every campaign; for tests and metrics. */
  int viewers() {
    synchronized (lock) {
      return watched.values().stream().mapToInt(watch -> watch.viewers.size()).sum();
    }
  }

  /** How many campaigns are being read; for tests and metrics. */
  int campaigns() {
    synchronized (lock) {
      return watched.size();
    }
  }

  @Override
  public void start() {
    synchronized (lock) {
      scheduler =
          Executors.newSingleThreadScheduledExecutor(
              Thread.ofPlatform().name("campaign-progress-feed").daemon().factory());
    }
  }

  /**
   * Ends every stream before the web server drains (this phase stops first), so open streams do not
   * hold a graceful shutdown for its whole timeout.
   */
  @Override
  public void stop() {
    List<Viewer> leaving = new ArrayList<>();
    synchronized (lock) {
      if (scheduler == null) {
        return;
      }
      scheduler.shutdownNow();
      scheduler = null;
      for (Watch watch : List.copyOf(watched.values())) {
        leaving.addAll(watch.viewers);
        forget(watch);
      }
    }
    leaving.forEach(Viewer::close);
  }

  @Override
  public boolean isRunning() {
    synchronized (lock) {
      return scheduler != null;
    }
  }
}
