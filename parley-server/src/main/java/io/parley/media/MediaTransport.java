package io.parley.media;

import io.netty.channel.EventLoop;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * How the media loops talk to the kernel ({@code PARLEY_MEDIA_TRANSPORT}). {@code epoll} and {@code
 * io_uring} are Linux's native transports (x86-64 builds are bundled); NIO runs anywhere.
 */
public enum MediaTransport {
  IO_URING(
      "io_uring",
      IoUring::isAvailable,
      IoUringIoHandler::newFactory,
      IoUringSocketChannel.class,
      IoUringServerSocketChannel.class,
      IoUringIoHandler.class),
  EPOLL(
      "epoll",
      Epoll::isAvailable,
      EpollIoHandler::newFactory,
      EpollSocketChannel.class,
      EpollServerSocketChannel.class,
      EpollIoHandler.class),
  NIO(
      "NIO",
      () -> true,
      NioIoHandler::newFactory,
      NioSocketChannel.class,
      NioServerSocketChannel.class,
      NioIoHandler.class);

  private final String label;
  private final BooleanSupplier available;
  private final Supplier<IoHandlerFactory> handlers;
  private final Class<? extends SocketChannel> socket;
  private final Class<? extends ServerSocketChannel> server;
  private final Class<?> handlerType;

  MediaTransport(
      String label,
      BooleanSupplier available,
      Supplier<IoHandlerFactory> handlers,
      Class<? extends SocketChannel> socket,
      Class<? extends ServerSocketChannel> server,
      Class<?> handlerType) {
    this.label = label;
    this.available = available;
    this.handlers = handlers;
    this.socket = socket;
    this.server = server;
    this.handlerType = handlerType;
  }

  /**
   * The transport an operator asked for: {@code auto} (epoll where available, else NIO), {@code
   * epoll}, {@code io_uring} or {@code nio}. A named native transport that this machine cannot run
   * is refused at start-up rather than silently replaced.
   */
  public static MediaTransport select(String configured) {
    String name = configured.strip().toLowerCase(Locale.ROOT);
    if (name.equals("auto")) {
      return EPOLL.isAvailable() ? EPOLL : NIO;
    }
    for (MediaTransport transport : values()) {
      if (transport.label.equalsIgnoreCase(name)) {
        if (!transport.isAvailable()) {
          throw new IllegalStateException(
              "PARLEY_MEDIA_TRANSPORT="
                  + transport.label
                  + " is not available on this machine (kernel, architecture or seccomp)");
        }
        return transport;
      }
    }
    throw new IllegalArgumentException(
        "PARLEY_MEDIA_TRANSPORT must be auto, epoll, io_uring or nio, was " + configured);
  }

  /** The client socket type for a loop of any transport. */
  public static Class<? extends SocketChannel> socketChannelFor(EventLoop loop) {
    if (loop instanceof IoEventLoop io) {
      for (MediaTransport transport : values()) {
        if (io.isIoType(transport.handlerType.asSubclass(io.netty.channel.IoHandler.class))) {
          return transport.socket;
        }
      }
    }
    return NioSocketChannel.class;
  }

  boolean isAvailable() {
    try {
      return available.getAsBoolean();
    } catch (LinkageError missingNativeLibrary) {
      return false;
    }
  }

  IoHandlerFactory handlers() {
    return handlers.get();
  }

  /** The client socket type. */
  public Class<? extends SocketChannel> socketChannel() {
    return socket;
  }

  /** The server socket type. */
  public Class<? extends ServerSocketChannel> serverChannel() {
    return server;
  }

  /** The name an operator writes and the logs show. */
  public String label() {
    return label;
  }
}
