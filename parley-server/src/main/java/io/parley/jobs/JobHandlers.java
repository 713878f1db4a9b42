package io.parley.jobs;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/** The handlers of this node by kind; two handlers of one kind stop start-up. */
final class JobHandlers {

  static final int MAX_KIND_LENGTH = 100;

  private final Map<String, JobHandler> byKind;

  JobHandlers(List<? extends JobHandler> handlers) {
    Map<String, JobHandler> map = new TreeMap<>();
    for (JobHandler handler : handlers) {
      if (!handler.runsHere()) {
        continue;
      }
      String kind = ScheduledJobs.checkedKind(handler.kind());
      JobHandler earlier = map.putIfAbsent(kind, handler);
      if (earlier != null) {
        throw new IllegalStateException(
            "Two job handlers for kind '"
                + kind
                + "': "
                + earlier.getClass().getName()
                + " and "
                + handler.getClass().getName());
      }
    }
    this.byKind = Map.copyOf(map);
  }

  Set<String> kinds() {
    return byKind.keySet();
  }

  Optional<JobHandler> find(String kind) {
    return Optional.ofNullable(byKind.get(kind));
  }
}
