package io.parley.calls;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
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
 * The live calls every viewer of the stream sees, read once per poll for all of them: ten managers
 * watching must not mean ten times the database load. While at least one viewer is connected the
 * feed polls its {@link LiveCallsSource} every second on its own thread, serialises the list once
 * when it changed and hands that text to every viewer; a new viewer gets the latest list at once
 * without a query. With no viewer it does not poll at all. Every {@link #HEARTBEAT} it asks the
 * viewers for a heartbeat, so proxies keep the streams open and dead clients are found.
 *
 * <p>Viewers must not block: the feed calls them under its lock, on its thread. {@link
 * LiveCallsViewer} hands each message to the stream's own writer.
 */
@Component
class LiveCallsFeed implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(LiveCallsFeed.class);

  static final Duration POLL = Duration.ofSeconds(1);
  static final Duration HEARTBEAT = Duration.ofSeconds(15);

  /** A connected viewer; every method returns at once. */
  interface Viewer {

    /** The calls in progress, as the JSON array of the {@code calls} event. */
    void calls(String json);

    void heartbeat();

    /** The feed is stopping: end the stream. */
    void close();
  }

  private final LiveCallsSource source;
  private final JsonMapper json;
  private final Duration poll;
  private final Duration heartbeat;

  private final Object lock = new Object();
  // guarded by lock
  private final Set<Viewer> viewers = new LinkedHashSet<>();
  private ScheduledExecutorService scheduler;
  private ScheduledFuture<?> polling;
  private ScheduledFuture<?> beating;
  private List<LiveCall> latest;
  private String latestJson;
  private boolean failing;

  @Autowired
  LiveCallsFeed(LiveCallsSource source, JsonMapper json) {
    this(source, json, POLL, HEARTBEAT);
  }

  LiveCallsFeed(LiveCallsSource source, JsonMapper json, Duration poll, Duration heartbeat) {
    this.source = source;
    this.json = json;
    this.poll = poll;
    this.heartbeat = heartbeat;
  }

  /**
   * Adds a viewer, which gets the latest list at once when the feed has one (else after the first
   * poll, which its arrival starts). Returns what to call when the viewer leaves.
   */
  Runnable subscribe(Viewer viewer) {
    synchronized (lock) {
      if (scheduler == null) {
        viewer.close();
        return () -> {};
      }
      viewers.add(viewer);
      if (latestJson != null) {
        viewer.calls(latestJson);
      }
      if (polling == null) {
        long pollMillis = poll.toMillis();
        long beatMillis = heartbeat.toMillis();
        polling =
            scheduler.scheduleWithFixedDelay(this::poll, 0, pollMillis, TimeUnit.MILLISECONDS);
        beating =
            scheduler.scheduleAtFixedRate(
                this::heartbeat, beatMillis, beatMillis, TimeUnit.MILLISECONDS);
      }
    }
    return () -> unsubscribe(viewer);
  }

  private void unsubscribe(Viewer viewer) {
    synchronized (lock) {
      if (viewers.remove(viewer) && viewers.isEmpty()) {
        idle();
      }
    }
  }

  /** Stops polling and forgets the list: it would be stale when the next viewer comes. */
  private void idle() {
    if (polling != null) {
      polling.cancel(false);
      beating.cancel(false);
    }
    polling = null;
    beating = null;
    latest = null;
    latestJson = null;
  }

  /** One read for every viewer. A task that throws would never run again, so nothing escapes. */
  private void poll() {
    List<LiveCall> calls;
    try {
      calls = source.inProgress();
    } catch (RuntimeException e) {
      synchronized (lock) {
        if (!failing) {
          log.warn("Could not read the live calls (retrying every {}): {}", poll, e.toString());
          failing = true;
        }
      }
      return;
    }
    synchronized (lock) {
      if (failing) {
        log.info("Reading the live calls again");
        failing = false;
      }
      if (viewers.isEmpty() || calls.equals(latest)) {
        return;
      }
      String text;
      try {
        text = json.writeValueAsString(calls);
      } catch (RuntimeException e) {
        log.warn("Could not write the live calls as JSON: {}", e.toString());
        return;
      }
      latest = calls;
      latestJson = text;
      viewers.forEach(viewer -> viewer.calls(text));
    }
  }

  private void heartbeat() {
    synchronized (lock) {
      viewers.forEach(Viewer::heartbeat);
    }
  }

  /** How many viewers are connected; for tests and metrics. */
  int viewers() {
    synchronized (lock) {
      return viewers.size();
    }
  }

  @Override
  public void start() {
    synchronized (lock) {
      scheduler =
          Executors.newSingleThreadScheduledExecutor(
              Thread.ofPlatform().name("live-calls-feed").daemon().factory());
    }
  }

  /**
   * Ends every stream before the web server drains (this phase stops first), so open streams do not
   * hold a graceful shutdown for its whole timeout.
   */
  @Override
  public void stop() {
    List<Viewer> leaving;
    synchronized (lock) {
      if (scheduler == null) {
        return;
      }
      scheduler.shutdownNow();
      scheduler = null;
      leaving = new ArrayList<>(viewers);
      viewers.clear();
      idle();
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
