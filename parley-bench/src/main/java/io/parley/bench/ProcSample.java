package io.parley.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A process's counters at one moment, read from /proc: user plus system CPU of the whole process
 * (threads that have exited included), voluntary and involuntary context switches summed over its
 * live threads, and the CPU of the JVM's garbage collector threads ({@code ZWorker}, {@code
 * ZDirector}, {@code G1 ...}, {@code GC Thread}) and JIT compiler threads ({@code C1/C2
 * CompilerThre}). Two samples give the rates between them.
 *
 * @param nanos {@link System#nanoTime()} when read
 */
record ProcSample(
    long nanos,
    double cpuSeconds,
    long contextSwitches,
    double gcCpuSeconds,
    double jitCpuSeconds) {

  /** Clock ticks per second of /proc/<pid>/stat (USER_HZ; 100 on Linux everywhere in practice). */
  static final double TICKS = 100.0;

  static ProcSample of(long pid) throws IOException {
    long now = System.nanoTime();
    Path proc = Path.of("/proc", Long.toString(pid));
    long[] cpu = cpuTicks(Files.readString(proc.resolve("stat")));
    long switches = 0;
    long gc = 0;
    long jit = 0;
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(proc.resolve("task"))) {
      for (Path task : tasks) {
        String stat;
        String status;
        try {
          stat = Files.readString(task.resolve("stat"));
          status = Files.readString(task.resolve("status"));
        } catch (IOException e) {
          continue; // the thread exited between listing and reading
        }
        switches += field(status, "\nvoluntary_ctxt_switches:");
        switches += field(status, "\nnonvoluntary_ctxt_switches:");
        String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        long[] t = cpuTicks(stat);
        if (isGc(name)) {
          gc += t[0] + t[1];
        } else if (isJit(name)) {
          jit += t[0] + t[1];
        }
      }
    }
    return new ProcSample(now, (cpu[0] + cpu[1]) / TICKS, switches, gc / TICKS, jit / TICKS);
  }

  /** This sample minus an earlier one: CPU seconds, switches and the seconds between them. */
  ProcSample minus(ProcSample earlier) {
    return new ProcSample(
        nanos - earlier.nanos,
        cpuSeconds - earlier.cpuSeconds,
        contextSwitches - earlier.contextSwitches,
        gcCpuSeconds - earlier.gcCpuSeconds,
        jitCpuSeconds - earlier.jitCpuSeconds);
  }

  /** For a difference of two samples: the seconds it spans. */
  double seconds() {
    return nanos / 1e9;
  }

  static boolean isGc(String threadName) {
    return threadName.startsWith("ZWorker")
        || threadName.startsWith("ZDirector")
        || threadName.startsWith("ZDriver")
        || threadName.startsWith("ZStat")
        || threadName.startsWith("ZUncommitter")
        || threadName.startsWith("G1 ")
        || threadName.startsWith("GC Thread");
  }

  static boolean isJit(String threadName) {
    return threadName.startsWith("C1 CompilerThre") || threadName.startsWith("C2 CompilerThre");
  }

  /** utime and stime of a /proc stat line (the fields after the parenthesised command name). */
  private static long[] cpuTicks(String stat) {
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return new long[] {Long.parseLong(f[11]), Long.parseLong(f[12])};
  }

  private static long field(String status, String name) {
    int at = status.indexOf(name);
    if (at < 0) {
      return 0;
    }
    int start = at + name.length();
    int end = status.indexOf('\n', start);
    return Long.parseLong(status.substring(start, end < 0 ? status.length() : end).strip());
  }
}
