package io.parley.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Faults armed at runtime, per simulator and optionally per call. A call is identified the way the
 * real traffic identifies it: the Twilio CallSid, the LLM request's {@code user} field, Deepgram's
 * {@code extra=call_sid:...}. A fault can apply forever or to the next {@code n} requests only (to
 * test a client's retry: fail once, then succeed).
 */
public final class Faults {

  /** Which simulator a fault belongs to. */
  public enum Target {
    TWILIO,
    DEEPGRAM,
    ELEVENLABS,
    LLM
  }

  /**
   * One armed fault as listed by the admin API: {@code callId} null for simulator-wide, {@code
   * remaining} -1 for until cleared.
   */
  public record View(Target target, String callId, Fault fault, int remaining) {}

  private record Armed(Target target, String callId, Fault fault, AtomicInteger remaining) {
    boolean matches(Target t, String call) {
      return target == t && (callId == null || callId.equals(call)) && remaining.get() != 0;
    }
  }

  private final List<Armed> armed = new CopyOnWriteArrayList<>();
  private final Map<Target, AtomicInteger> injected = new ConcurrentHashMap<>();

  /** Arms a fault on every request to {@code target} until {@link #clear()}. */
  public Faults set(Target target, Fault fault) {
    armed.add(new Armed(target, null, fault, new AtomicInteger(-1)));
    return this;
  }

  /** Arms a fault on the next {@code times} requests to {@code target}. */
  public Faults next(Target target, int times, Fault fault) {
    armed.add(new Armed(target, null, fault, new AtomicInteger(times)));
    return this;
  }

  /** Arms a fault on every request to {@code target} that belongs to one call. */
  public Faults forCall(String callId, Target target, Fault fault) {
    armed.add(new Armed(target, callId, fault, new AtomicInteger(-1)));
    return this;
  }

  /**
   * Arms a fault on the next {@code times} requests to {@code target} (-1: until {@link #clear()}),
   * simulator-wide when {@code callId} is null, else only for that call.
   */
  public Faults arm(Target target, String callId, int times, Fault fault) {
    if (times == 0 || times < -1) {
      throw new IllegalArgumentException("times must be positive or -1, not " + times);
    }
    armed.add(new Armed(target, callId, fault, new AtomicInteger(times)));
    return this;
  }

  /** The faults still armed (used-up ones are left out), in the order they were armed. */
  public List<View> armed() {
    return armed.stream()
        .filter(a -> a.remaining().get() != 0)
        .map(a -> new View(a.target(), a.callId(), a.fault(), Math.max(-1, a.remaining().get())))
        .toList();
  }

  public Faults clear() {
    armed.clear();
    return this;
  }

  /**
   * The faults a plain HTTP request meets before it is answered: a latency fault's delay, then a
   * hang fault, which holds the request until {@code released} opens (the simulator closing). True
   * when the request hung: the caller then drops the connection instead of answering.
   */
  public boolean delayOrHang(Target target, String callId, SimClock clock, CountDownLatch released)
      throws InterruptedException {
    var latency = take(target, callId, Fault.Latency.class);
    if (latency.isPresent()) {
      clock.sleep(latency.get().added());
    }
    if (take(target, callId, Fault.Hang.class).isPresent()) {
      released.await();
      return true;
    }
    return false;
  }

  /**
   * Takes the first armed fault of this type for the target and call (null call: simulator-wide
   * faults only), counting one use.
   */
  public <F extends Fault> Optional<F> take(Target target, String callId, Class<F> type) {
    for (Armed a : armed) {
      if (a.matches(target, callId) && type.isInstance(a.fault())) {
        if (a.remaining().get() > 0 && a.remaining().getAndDecrement() <= 0) {
          continue;
        }
        injected.computeIfAbsent(target, t -> new AtomicInteger()).incrementAndGet();
        return Optional.of(type.cast(a.fault()));
      }
    }
    return Optional.empty();
  }

  /** All faults currently armed for the target and call, without counting a use. */
  public List<Fault> active(Target target, String callId) {
    List<Fault> out = new ArrayList<>();
    armed.stream().filter(a -> a.matches(target, callId)).forEach(a -> out.add(a.fault()));
    return out;
  }

  /** How many times a fault was applied to the target, for tests and the standalone log. */
  public int injectedCount(Target target) {
    AtomicInteger n = injected.get(target);
    return n == null ? 0 : n.get();
  }
}
