package io.parley.sim.caller;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.parley.sim.SimClock;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The simulated callers' event loops: a few threads (one per core, at most two) that carry every
 * Media Stream between them. Each stream is bound to one loop for its life: its socket's reads and
 * writes, its 20 ms frames and its mark timers all run there, so no stream has a thread or a timer
 * of its own. Each loop has one tick every 20 ms that sends the due frame of every stream on it.
 */
final class CallerLoops implements AutoCloseable {
  private final SimClock clock;
  private final EventLoopGroup group;
  private final Class<? extends Channel> channel;
  private final Map<EventLoop, Loop> loops = new IdentityHashMap<>();

  /** One loop's streams and its clock; touched on that loop's thread only (bar creation). */
  static final class Loop {
    final EventLoop eventLoop;
    final LoopClock clock;
    private final List<StreamSession> sessions = new ArrayList<>();

    Loop(EventLoop eventLoop, LoopClock clock) {
      this.eventLoop = eventLoop;
      this.clock = clock;
    }

    /** A stream starts sending with the loop's next tick. Called on the loop. */
    void add(StreamSession session) {
      sessions.add(session);
      if (sessions.size() == 1) {
        clock.startTicks(this::tick);
      }
    }

    /** A stream has ended. Called on the loop. */
    void remove(StreamSession session) {
      if (sessions.remove(session) && sessions.isEmpty()) {
        clock.stopTicks();
      }
    }

    private void tick(long scheduledMillis) {
      // a copy: a stream may end (and leave the list) inside its own tick
      for (StreamSession s : List.copyOf(sessions)) {
        s.tick(scheduledMillis);
      }
    }
  }

  CallerLoops(SimClock clock) {
    this.clock = clock;
    int threads = Math.clamp(Runtime.getRuntime().availableProcessors(), 1, 2);
    IoHandlerFactory io;
    if (Epoll.isAvailable()) {
      io = EpollIoHandler.newFactory();
      channel = EpollSocketChannel.class;
    } else {
      io = NioIoHandler.newFactory();
      channel = NioSocketChannel.class;
    }
    group =
        new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("sim-caller", true), io);
  }

  /** A bootstrap for one stream's socket, on the next loop of the group. */
  Bootstrap bootstrap() {
    return new Bootstrap()
        .group(group)
        .channel(channel)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5000);
  }

  /** The state of the loop a channel is registered on. */
  Loop loop(EventLoop eventLoop) {
    synchronized (loops) {
      return loops.computeIfAbsent(eventLoop, l -> new Loop(l, LoopClock.on(clock, l)));
    }
  }

  @Override
  public void close() {
    synchronized (loops) {
      loops.values().forEach(l -> l.clock.close());
    }
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS);
  }
}
