package io.parley.sim.caller;

import io.netty.channel.EventLoop;
import io.parley.sim.SimClock;
import java.util.PriorityQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/**
 * Time on one caller event loop: a tick every 20 ms that serves every stream on the loop, and
 * one-off timers (mark echoes). Every task runs on the loop's thread.
 *
 * <p>On the system clock the loop's own scheduler fires them (an epoll timeout, no other thread).
 * On any other clock ({@link SimClock.Virtual} in tests) two threads sleep on the simulated clock,
 * one for the ticks and one for the timers, and hand each due task to the loop, waiting until it
 * has run before sleeping again, so a test that steps the clock sees every task done at its exact
 * time.
 */
abstract sealed class LoopClock {
  static final long TICK_MILLIS = 20;

  final SimClock clock;
  final EventLoop loop;

  LoopClock(SimClock clock, EventLoop loop) {
    this.clock = clock;
    this.loop = loop;
  }

  static LoopClock on(SimClock clock, EventLoop loop) {
    return clock instanceof SimClock.System ? new OnLoop(clock, loop) : new OnSimClock(clock, loop);
  }

  /**
   * Starts ticking now: {@code tick} gets each tick's scheduled time (ms on the sim clock), every
   * 20 ms from now, until {@link #stopTicks}. A tick that comes late is followed at once by the
   * ones it missed, as a sender catching up does. Called on the loop.
   */
  abstract void startTicks(LongConsumer tick);

  /** No more ticks (the loop has no stream left). Called on the loop. */
  abstract void stopTicks();

  /** Runs {@code task} on the loop once the sim clock reaches {@code deadlineMillis}. */
  abstract void at(long deadlineMillis, Runnable task);

  /** Stops the helper threads, if any. */
  void close() {}

  /** The system clock: the loop's scheduler, to the microsecond. */
  static final class OnLoop extends LoopClock {
    private long generation;

    OnLoop(SimClock clock, EventLoop loop) {
      super(clock, loop);
    }

    @Override
    void startTicks(LongConsumer tick) {
      long mine = ++generation;
      schedule(mine, clock.nowMillis(), tick);
    }

    private void schedule(long mine, long dueMillis, LongConsumer tick) {
      long delayMicros = dueMillis * 1000 - clock.nowMicros();
      loop.schedule(
          () -> {
            if (generation != mine) {
              return;
            }
            tick.accept(dueMillis);
            if (generation == mine) {
              schedule(mine, dueMillis + TICK_MILLIS, tick);
            }
          },
          Math.max(0, delayMicros),
          TimeUnit.MICROSECONDS);
    }

    @Override
    void stopTicks() {
      generation++;
    }

    @Override
    void at(long deadlineMillis, Runnable task) {
      loop.schedule(
          task, Math.max(0, deadlineMillis * 1000 - clock.nowMicros()), TimeUnit.MICROSECONDS);
    }
  }

  /** Any other clock: a ticker and a timer thread sleep on it and hand due tasks to the loop. */
  static final class OnSimClock extends LoopClock {
    private record Timer(long deadline, long order, Runnable task) {}

    private final Object lock = new Object();
    private final PriorityQueue<Timer> timers =
        new PriorityQueue<>(
            (a, b) ->
                a.deadline != b.deadline
                    ? Long.compare(a.deadline, b.deadline)
                    : Long.compare(a.order, b.order));
    private long order;
    private Thread ticker;
    private Thread timerThread;
    private boolean timerSleeping;
    private volatile boolean closed;

    OnSimClock(SimClock clock, EventLoop loop) {
      super(clock, loop);
    }

    @Override
    void startTicks(LongConsumer tick) {
      long first = clock.nowMillis();
      ticker =
          Thread.ofVirtual()
              .name("caller-ticks")
              .start(
                  () -> {
                    for (long due = first; !closed && !Thread.currentThread().isInterrupted(); ) {
                      try {
                        clock.sleepUntil(due);
                        long at = due;
                        loop.submit(() -> tick.accept(at)).get();
                      } catch (InterruptedException e) {
                        return;
                      } catch (ExecutionException e) {
                        return;
                      }
                      due += TICK_MILLIS;
                    }
                  });
    }

    @Override
    void stopTicks() {
      Thread t = ticker;
      ticker = null;
      if (t != null) {
        t.interrupt();
      }
    }

    @Override
    void at(long deadlineMillis, Runnable task) {
      synchronized (lock) {
        timers.add(new Timer(deadlineMillis, order++, task));
        if (timerThread == null) {
          timerThread = Thread.ofVirtual().name("caller-timers").start(this::runTimers);
        } else if (timerSleeping) {
          timerThread.interrupt();
        }
        lock.notifyAll();
      }
    }

    private void runTimers() {
      while (!closed) {
        long due;
        synchronized (lock) {
          while (!closed && timers.isEmpty()) {
            try {
              lock.wait();
            } catch (InterruptedException e) {
              // re-check
            }
          }
          if (closed) {
            return;
          }
          due = timers.peek().deadline();
          timerSleeping = true;
        }
        try {
          clock.sleepUntil(due);
        } catch (InterruptedException e) {
          // an earlier timer was added: plan again
        } finally {
          synchronized (lock) {
            timerSleeping = false;
          }
          Thread.interrupted();
        }
        long now = clock.nowMillis();
        while (true) {
          Timer next;
          synchronized (lock) {
            next = timers.peek();
            if (next == null || next.deadline() > now) {
              break;
            }
            timers.poll();
          }
          try {
            loop.submit(next.task()).get();
          } catch (InterruptedException e) {
            Thread.interrupted();
          } catch (ExecutionException e) {
            // the task failed on the loop; the others still run
          }
        }
      }
    }

    @Override
    void close() {
      closed = true;
      stopTicks();
      synchronized (lock) {
        lock.notifyAll();
        if (timerThread != null) {
          timerThread.interrupt();
        }
      }
    }
  }
}
