package io.parley.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The whole machine's busy CPU at one moment (from the {@code cpu} line of /proc/stat) and the part
 * of it that belongs to the bench: its own JVM, the server, and every process below either or
 * started on the server's data directory (the embedded PostgreSQL daemonizes, so it is not the
 * server's child). The difference between two samples, less the bench's part, is what other
 * processes used during a step: on a shared machine it tells a step measured alone from one that
 * shared the cores.
 *
 * @param busySeconds CPU seconds the machine has been busy (user, nice, system, irq, softirq,
 *     steal)
 * @param ownSeconds CPU seconds of this JVM, the server, its PostgreSQL and their descendants
 */
record MachineSample(long nanos, double busySeconds, double ownSeconds) {

  static MachineSample of(long serverPid, String serverDataDir) {
    long now = System.nanoTime();
    try {
      String cpu = Files.readAllLines(Path.of("/proc/stat")).getFirst();
      String[] f = cpu.trim().split("\\s+");
      long busy = 0;
      // cpu user nice system idle iowait irq softirq steal ...
      for (int i : new int[] {1, 2, 3, 6, 7, 8}) {
        busy += Long.parseLong(f[i]);
      }
      return new MachineSample(now, busy / ProcSample.TICKS, ownTree(serverPid, serverDataDir));
    } catch (IOException | RuntimeException e) {
      return new MachineSample(now, Double.NaN, Double.NaN);
    }
  }

  /** Cores other processes used on average between {@code earlier} and this sample. */
  double othersCoresSince(MachineSample earlier) {
    double seconds = (nanos - earlier.nanos) / 1e9;
    if (seconds <= 0) {
      return Double.NaN;
    }
    double others = (busySeconds - earlier.busySeconds) - (ownSeconds - earlier.ownSeconds);
    return Math.max(0, others / seconds);
  }

  /**
   * CPU seconds of this JVM, the server and every process below the server (a process that exited
   * in between drops out, which only makes others look busier).
   */
  private static double ownTree(long serverPid, String serverDataDir) throws IOException {
    Set<Long> own = new HashSet<>();
    own.add(ProcessHandle.current().pid());
    own.add(serverPid);
    Map<Long, Long> parent = new HashMap<>();
    Map<Long, Long> ticks = new HashMap<>();
    try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"))) {
      for (Path p : procs) {
        String name = p.getFileName().toString();
        if (!name.chars().allMatch(Character::isDigit)) {
          continue;
        }
        String stat;
        try {
          stat = Files.readString(p.resolve("stat"));
        } catch (IOException e) {
          continue;
        }
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long pid = Long.parseLong(name);
        if (serverDataDir != null) {
          try {
            String cmd = Files.readString(p.resolve("cmdline"));
            if (cmd.contains(serverDataDir)) {
              own.add(pid);
            }
          } catch (IOException e) {
            // gone
          }
        }
        parent.put(pid, Long.parseLong(f[1]));
        ticks.put(pid, Long.parseLong(f[11]) + Long.parseLong(f[12]));
      }
    }
    boolean grew = true;
    while (grew) {
      grew = false;
      for (Map.Entry<Long, Long> e : parent.entrySet()) {
        if (!own.contains(e.getKey()) && own.contains(e.getValue())) {
          own.add(e.getKey());
          grew = true;
        }
      }
    }
    long sum = 0;
    for (long pid : own) {
      sum += ticks.getOrDefault(pid, 0L);
    }
    return sum / ProcSample.TICKS;
  }
}
