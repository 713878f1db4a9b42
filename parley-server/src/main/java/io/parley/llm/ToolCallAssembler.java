package io.parley.llm;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Rebuilds whole tool calls from streamed pieces, keyed by index. OpenAI sends the id and name
 * first and the arguments in fragments; xAI sends each call whole in one piece. Either way a call
 * is complete once a piece for a later index arrives or the stream finishes, so calls come out
 * whole and in index order.
 */
final class ToolCallAssembler {

  private final TreeMap<Long, Partial> pending = new TreeMap<>();

  /** Adds one piece and returns the calls it proves complete (those with a lower index). */
  List<LlmEvent.ToolCall> add(long index, String id, String name, String arguments) {
    Partial partial = pending.computeIfAbsent(index, i -> new Partial());
    if (partial.id == null && id != null && !id.isEmpty()) {
      partial.id = id;
    }
    if (partial.name == null && name != null && !name.isEmpty()) {
      partial.name = name;
    }
    if (arguments != null) {
      partial.arguments.append(arguments);
    }
    return drain(pending.headMap(index, false));
  }

  /** The calls still open, at the end of the stream. */
  List<LlmEvent.ToolCall> finish() {
    return drain(pending);
  }

  private static List<LlmEvent.ToolCall> drain(Map<Long, Partial> complete) {
    List<LlmEvent.ToolCall> out = new ArrayList<>();
    for (Map.Entry<Long, Partial> entry : complete.entrySet()) {
      Partial p = entry.getValue();
      // A provider that omits the id still needs one the tool result can refer to.
      String id = p.id != null ? p.id : "call_" + entry.getKey();
      out.add(new LlmEvent.ToolCall(id, p.name == null ? "" : p.name, p.arguments.toString()));
    }
    complete.clear();
    return out;
  }

  private static final class Partial {
    private String id;
    private String name;
    private final StringBuilder arguments = new StringBuilder();
  }
}
