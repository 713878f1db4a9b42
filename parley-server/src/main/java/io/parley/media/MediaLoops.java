package io.parley.media;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The node's media event loops. A call is bound to one loop for its whole life: the loop that
 * accepted its Twilio socket also connects its provider sockets and runs its timers, so a frame is
 * read, handled and written on one thread with no hand-off. epoll on Linux, NIO elsewhere, io_uring
 * when asked ({@link MediaTransport}).
 */
@Component
public final class MediaLoops implements DisposableBean {

  private final EventLoopGroup group;
  private final MediaTransport transport;
  private final int size;
  private final Map<EventLoop, FrameClock> clocks = new ConcurrentHashMap<>();
  private final LoopPriority priority;

  MediaLoops(
      @Value("${parley.media.loops:0}") int configured,
      @Value("${parley.media.loop-priority:5}") int priorityBoost,
      @Value("${parley.media.leak-detection:disabled}") String leakDetection,
      @Value("${parley.media.transport:auto}") String transport) {
    // Netty's default samples one buffer in 128 and records a stack trace for it, on the loops:
    // about 2 % of their CPU at 50 calls (docs/benchmarks.md). Tests turn it up to paranoid, where
    // a
    // leak is found; a production node pays for it only when an operator asks.
    ResourceLeakDetector.setLevel(leakDetectionLevel(leakDetection));
    this.size = configured > 0 ? configured : Runtime.getRuntime().availableProcessors();
    this.transport = MediaTransport.select(transport);
    this.priority = new LoopPriority(priorityBoost);
    this.group =
        new MultiThreadIoEventLoopGroup(size, new LoopThreads(priority), this.transport.handlers());
  }

  private static ResourceLeakDetector.Level leakDetectionLevel(String configured) {
    for (ResourceLeakDetector.Level level : ResourceLeakDetector.Level.values()) {
      if (level.name().equalsIgnoreCase(configured.strip())) {
        return level;
      }
    }
    throw new IllegalArgumentException(
        "PARLEY_MEDIA_LEAK_DETECTION must be disabled, simple, advanced or paranoid, was "
            + configured);
  }

  /**
   * Daemon threads that raise their own scheduling priority before running the loop: a loop that
   * waits for a CPU makes every call on it wait.
   */
  private static final class LoopThreads extends DefaultThreadFactory {
    private final LoopPriority priority;

    LoopThreads(LoopPriority priority) {
      super("media-loop", true);
      this.priority = priority;
    }

    @Override
    public Thread newThread(Runnable loop) {
      return super.newThread(
          () -> {
            priority.raiseCurrentThread();
            loop.run();
          });
    }
  }

  /** How the loops' priority was set ({@code PARLEY_MEDIA_LOOP_PRIORITY}). */
  LoopPriority.Outcome priority() {
    return priority.outcome();
  }

  /** Every loop (for a server's acceptor and child group). */
  public EventLoopGroup group() {
    return group;
  }

  /** The loop the next new call is bound to (round robin). */
  public EventLoop next() {
    return group.next();
  }

  /** The audio clock of {@code loop} (one of these loops). */
  public FrameClock clock(EventLoop loop) {
    return clocks.computeIfAbsent(loop, FrameClock::new);
  }

  /** How many loops there are. */
  public int size() {
    return size;
  }

  /** The client socket type for these loops. */
  public Class<? extends SocketChannel> socketChannel() {
    return transport.socketChannel();
  }

  /** The server socket type for these loops. */
  public Class<? extends ServerSocketChannel> serverChannel() {
    return transport.serverChannel();
  }

  /** How the loops talk to the kernel. */
  public MediaTransport transport() {
    return transport;
  }

  @Override
  public void destroy() {
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
