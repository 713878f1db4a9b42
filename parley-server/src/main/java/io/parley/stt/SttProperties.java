package io.parley.stt;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Socket settings of the live STT adapter ({@code PARLEY_STT_*}).
 *
 * @param keepAlive a KeepAlive is sent when no audio went out for this long (Deepgram closes a
 *     socket after about 10 s without audio or KeepAlive; it suggests every 3-5 s)
 * @param connectTimeout longest wait for the WebSocket handshake
 * @param sendTimeout longest time the socket's write buffer may stay full (the provider not
 *     reading); a socket stuck longer is treated as dropped and replaced
 * @param reconnectAttempts failed connection attempts in a row after which the session gives up
 *     ({@link SttEvent.Failed} retriable); a socket that drops before it delivered anything counts
 *     as one
 * @param reconnectBackoff pause before the second attempt (the first is immediate), doubled for
 *     each further one
 * @param reconnectMaxBackoff ceiling of that pause
 * @param replayBuffer how much of the latest audio is kept to be sent again after a reconnect
 * @param sendQueueFrames frames that may wait in the socket's write buffer (its high watermark)
 *     before new ones are dropped
 * @param finishTimeout longest wait for the provider's last results after {@link
 *     SttSession#finish()}
 */
@ConfigurationProperties("parley.stt")
record SttProperties(
    Duration keepAlive,
    Duration connectTimeout,
    Duration sendTimeout,
    int reconnectAttempts,
    Duration reconnectBackoff,
    Duration reconnectMaxBackoff,
    Duration replayBuffer,
    int sendQueueFrames,
    Duration finishTimeout) {

  SttProperties {
    keepAlive = positiveOr(keepAlive, Duration.ofSeconds(4));
    connectTimeout = positiveOr(connectTimeout, Duration.ofSeconds(5));
    sendTimeout = positiveOr(sendTimeout, Duration.ofSeconds(5));
    reconnectAttempts = reconnectAttempts <= 0 ? 5 : reconnectAttempts;
    reconnectBackoff = positiveOr(reconnectBackoff, Duration.ofMillis(250));
    reconnectMaxBackoff = positiveOr(reconnectMaxBackoff, Duration.ofSeconds(2));
    replayBuffer = positiveOr(replayBuffer, Duration.ofSeconds(10));
    sendQueueFrames = sendQueueFrames <= 0 ? 500 : sendQueueFrames;
    finishTimeout = positiveOr(finishTimeout, Duration.ofSeconds(5));
  }

  static SttProperties defaults() {
    return new SttProperties(null, null, null, 0, null, null, null, 0, null);
  }

  /** The pause before the given attempt (1-based): none for the first, then doubling. */
  Duration backoff(int attempt) {
    if (attempt <= 1) {
      return Duration.ZERO;
    }
    Duration pause = reconnectBackoff.multipliedBy(1L << Math.min(attempt - 2, 20));
    return pause.compareTo(reconnectMaxBackoff) > 0 ? reconnectMaxBackoff : pause;
  }

  /** Bytes of μ-law 8 kHz audio the replay buffer holds. */
  int replayBytes() {
    return (int) Math.min(Integer.MAX_VALUE - 8, replayBuffer.toMillis() * 8);
  }

  private static Duration positiveOr(Duration value, Duration fallback) {
    return value == null || value.isNegative() || value.isZero() ? fallback : value;
  }
}
