package io.parley.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Runs the instrument's event loops (the simulated callers' {@code sim-caller-*} and Deepgram's
 * listen loop) at a higher priority than everything else on the machine: Linux niceness is per
 * thread, so each loop thread found in {@code /proc/self/task} is reniced once. The loops carry
 * every call's frames; when they wait for a CPU behind the bench's own collector, its bookkeeping
 * or another process, every call's frame is late. The server's own media loops raise themselves 5
 * steps above the server (PARLEY_MEDIA_LOOP_PRIORITY), to -5 with the server at the bench's
 * niceness: these loops at -10 still come first, so this never favours Parley. Needs the right to
 * raise priority (root, or CAP_SYS_NICE); without it the loops stay at the bench's niceness and the
 * step's lateness says so.
 */
final class LoopPriority {
  /** Thread names as /proc shows them (15 characters): the callers' and Deepgram listen's loops. */
  private static final String[] LOOPS = {"sim-caller-", "sim-deepgram-li"};

  private final int nice;
  private final Set<String> done = new HashSet<>();
  private boolean refused;

  LoopPriority(int nice) {
    this.nice = nice;
  }

  /** Renices loop threads not seen before; cheap to call often (one /proc listing). */
  synchronized void apply() {
    if (nice == 0 || refused) {
      return;
    }
    Path tasks = Path.of("/proc/self/task");
    try (DirectoryStream<Path> dir = Files.newDirectoryStream(tasks)) {
      for (Path task : dir) {
        String tid = task.getFileName().toString();
        if (done.contains(tid)) {
          continue;
        }
        String name;
        try {
          name = Files.readString(task.resolve("comm")).strip();
        } catch (IOException e) {
          continue; // the thread ended
        }
        for (String loop : LOOPS) {
          if (name.startsWith(loop)) {
            done.add(tid);
            renice(tid, name);
          }
        }
      }
    } catch (IOException e) {
      refused = true; // not Linux
    }
  }

  private void renice(String tid, String name) {
    try {
      Process p =
          new ProcessBuilder("renice", "-n", Integer.toString(nice), "-p", tid)
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes()).strip();
      if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
        refused = true;
        LoadBench.log(
            "cannot raise the priority of " + name + " (" + out + "); loops stay as they are");
      }
    } catch (IOException e) {
      refused = true;
      LoadBench.log("cannot run renice: " + e.getMessage() + "; loops stay as they are");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
