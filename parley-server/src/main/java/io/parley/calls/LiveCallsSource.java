package io.parley.calls;

import java.util.List;

/** Where the live calls feed reads the calls in progress; one query per poll. */
interface LiveCallsSource {

  /** The calls whose carrier status is not final, on every node, oldest first. */
  List<LiveCall> inProgress();
}
