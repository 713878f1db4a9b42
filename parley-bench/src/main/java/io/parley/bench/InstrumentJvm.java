package io.parley.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The simulators are the instrument: a caller that pauses for a garbage collection sends its frames
 * late and makes the step instrument-bound. The default collector (G1) paused the bench's JVM for
 * 10–140 ms every few seconds under load, so the bench runs itself on ZGC, whose pauses are well
 * under a millisecond: started any other way, it starts itself again with the right options and
 * passes on its exit code.
 */
final class InstrumentJvm {
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
    // the audio index of a long run holds a few hundred MB; a fixed floor avoids resizing mid-step
    command.add("-Xms1g");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(main.getName());
    command.addAll(List.of(args));
    Process child = new ProcessBuilder(command).inheritIO().start();
    Runtime.getRuntime().addShutdownHook(new Thread(child::destroy));
    return child.waitFor();
  }
}
