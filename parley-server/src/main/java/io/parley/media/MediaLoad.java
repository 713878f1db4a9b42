package io.parley.media;

import java.time.Duration;
import java.util.List;

/**
 * How loaded this node's media loops are, for the places that take new calls: an overloaded node
 * refuses them (inbound callers hear the busy line, {@code POST /api/calls} answers 429) until its
 * loops keep time again. Calls already up are never touched.
 */
public interface MediaLoad {

  /**
   * Whether new calls should be refused now: a loop lags beyond {@code PARLEY_MEDIA_OVERLOAD_LAG},
   * or did within the last 2 seconds. Cheap enough to ask on every call.
   */
  boolean overloaded();

  /** Each loop's recent lag and busy share, in loop order (for the health details). */
  List<LoopLoad> loops();

  /**
   * One loop's recent figures.
   *
   * @param loop the loop's index, as in the meters' {@code loop} tag
   * @param lag the worst lag of its probes over the last second or so (or the lag of a probe that
   *     is overdue now, if longer)
   * @param busy the share of the last second the loop's thread spent on the CPU, 0 to 1 (NaN when
   *     the JVM cannot tell)
   */
  record LoopLoad(int loop, Duration lag, double busy) {}
}
