package io.parley.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The simulators are the instrument: a caller that pauses for a garbage collection sends its frames
 * late and makes the step instrument-bound. The default collector (G1) paused the bench's JVM for
 * 10–140 ms every few seconds under load, so the bench runs itself on ZGC, whose pauses are well
 * under a millisecond: started any other way, it starts itself again with the right options and
 * passes on its exit code.
 */
final class InstrumentJvm {
  private static final Pattern SELECTS_COLLECTOR = Pattern.compile("-XX:[+-]Use\\w*GC");

  private InstrumentJvm() {}

  static boolean isPauseless() {
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc.getName().startsWith("ZGC")) {
        return true;
      }
    }
    return false;
  }

  static int relaunchPauseless(Class<?> main, String[] args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-XX:+UseZGC");
    // the simulators' event loops use Netty's native epoll transport
    command.add("--enable-native-access=ALL-UNNAMED");
    // the options it was started with (-Xmx, a flight recording, ...) still apply, bar the
    // collector
    List<String> given = ManagementFactory.getRuntimeMXBean().getInputArguments();
    given.stream()
        .filter(option -> !SELECTS_COLLECTOR.matcher(option).matches())
        .forEach(command::add);
    if (given.stream().noneMatch(option -> option.startsWith("-Xms"))) {
      // the simulators' records of a long run take a few hundred MB: a floor avoids resizing
      command.add("-Xms1g");
    }
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(main.getName());
    command.addAll(List.of(args));
    Process child = new ProcessBuilder(command).inheritIO().start();
    Runtime.getRuntime().addShutdownHook(new Thread(child::destroy));
    return child.waitFor();
  }
}
