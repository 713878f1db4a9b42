package io.parley.media;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The Linux niceness of the calling thread. The JDK has no way to set it ({@code
 * Thread.setPriority} is ignored on Linux unless the JVM runs as root with a non-default flag), so
 * this calls libc's {@code setpriority} through the foreign-function API: on Linux {@code
 * PRIO_PROCESS} with a thread id changes that one thread. Raising a thread's priority (a lower
 * niceness than it has) needs {@code CAP_SYS_NICE}; lowering it never does.
 */
final class ThreadNice {

  private static final int PRIO_PROCESS = 0;

  private final MethodHandle gettid;
  private final MethodHandle setpriority;
  private final StructLayout callState;
  private final VarHandle errno;

  private ThreadNice(MethodHandle gettid, MethodHandle setpriority, StructLayout callState) {
    this.gettid = gettid;
    this.setpriority = setpriority;
    this.callState = callState;
    this.errno = callState.varHandle(PathElement.groupElement("errno"));
  }

  /** The libc functions, or empty where they are missing (not Linux, or an old C library). */
  static Optional<ThreadNice> load() {
    if (!System.getProperty("os.name", "").toLowerCase().contains("linux")) {
      return Optional.empty();
    }
    try {
      Linker linker = Linker.nativeLinker();
      SymbolLookup libc = linker.defaultLookup();
      Optional<MemorySegment> gettid = libc.find("gettid");
      Optional<MemorySegment> setpriority = libc.find("setpriority");
      if (gettid.isEmpty() || setpriority.isEmpty()) {
        return Optional.empty();
      }
      Linker.Option errno = Linker.Option.captureCallState("errno");
      return Optional.of(
          new ThreadNice(
              linker.downcallHandle(gettid.get(), FunctionDescriptor.of(JAVA_INT)),
              linker.downcallHandle(
                  setpriority.get(),
                  FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT),
                  errno),
              Linker.Option.captureStateLayout()));
    } catch (IllegalCallerException | UnsupportedOperationException e) {
      // native access refused to this module, or no linker on this platform
      return Optional.empty();
    }
  }

  /** Sets the calling thread's niceness (-20 … 19); 0 on success, else the C {@code errno}. */
  int set(int nice) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = arena.allocate(callState);
      int tid = (int) gettid.invokeExact();
      int result = (int) setpriority.invokeExact(state, PRIO_PROCESS, tid, nice);
      return result == 0 ? 0 : (int) errno.get(state, 0L);
    } catch (Throwable e) {
      throw new IllegalStateException("setpriority failed", e);
    }
  }

  /** The calling thread's niceness, from {@code /proc/thread-self/stat}. */
  static int current() throws IOException {
    return niceOf(Path.of("/proc/thread-self/stat"));
  }

  /** The whole process's niceness (its main thread's), from {@code /proc/self/stat}. */
  static int process() throws IOException {
    return niceOf(Path.of("/proc/self/stat"));
  }

  private static int niceOf(Path stat) throws IOException {
    String line = Files.readString(stat);
    // the command name (field 2) may hold spaces and parentheses: count fields after the last ')'
    String[] fields = line.substring(line.lastIndexOf(')') + 2).split(" ");
    // fields[0] is field 3 (state); niceness is field 19
    return Integer.parseInt(fields[19 - 3]);
  }
}
