package io.parley.stt;

import io.netty.channel.EventLoop;

/**
 * A live speech recogniser for a call's caller audio. Implementations are thread-safe; each {@link
 * SttSession} belongs to one call and lives on that call's event loop.
 */
public interface SpeechToText {

  /**
   * Opens a session bound to {@code loop} and returns at once: connecting happens on the loop and
   * audio handed to {@link SttSession#send} meanwhile is kept and sent when the socket is up. The
   * provider's socket, the session's timers and every {@code listener} call run on {@code loop}. A
   * provider that is unknown, not configured or refuses the connection is reported as {@link
   * SttEvent.Failed}, never thrown.
   *
   * @param loop the call's media loop (one of {@code io.parley.media.MediaLoops}, or any Netty
   *     {@code IoEventLoop} with an epoll or NIO transport)
   * @throws IllegalArgumentException when the spec, the listener or the loop is missing
   */
  SttSession open(SttSpec spec, SttListener listener, EventLoop loop);
}
