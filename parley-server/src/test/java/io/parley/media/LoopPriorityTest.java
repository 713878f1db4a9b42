package io.parley.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class LoopPriorityTest {

  @Test
  void lowersAThreadsPriorityThroughLibc() throws Exception {
    Optional<ThreadNice> nice = ThreadNice.load();
    assumeTrue(nice.isPresent(), "Linux only");
    // lowering a thread's own priority is always permitted; only this thread changes
    CompletableFuture<int[]> seen = new CompletableFuture<>();
    Thread thread =
        new Thread(
            () -> {
              try {
                int before = ThreadNice.current();
                int target = Math.min(19, before + 3);
                int errno = nice.get().set(target);
                seen.complete(new int[] {before, target, errno, ThreadNice.current()});
              } catch (Exception e) {
                seen.completeExceptionally(e);
              }
            });
    thread.start();
    int[] result = seen.get();
    assertThat(result[2]).as("errno").isZero();
    assertThat(result[3]).isEqualTo(result[1]);
    assertThat(ThreadNice.current()).as("the calling thread is untouched").isEqualTo(result[0]);
  }

  @Test
  void raisesALoopThreadAheadOfTheProcessOrSaysWhyNot() throws Exception {
    LoopPriority priority = new LoopPriority(3);
    CompletableFuture<Integer> nice = new CompletableFuture<>();
    Thread loop =
        new Thread(
            () -> {
              priority.raiseCurrentThread();
              try {
                nice.complete(ThreadNice.current());
              } catch (Exception e) {
                nice.completeExceptionally(e);
              }
            });
    loop.start();
    int seen = nice.get();
    switch (priority.outcome()) {
      case LoopPriority.Outcome.Raised r -> {
        assertThat(r.nice()).isEqualTo(Math.max(-20, ThreadNice.process() - 3));
        assertThat(seen).isEqualTo(r.nice());
      }
      case LoopPriority.Outcome.Refused r -> {
        // without CAP_SYS_NICE: the reason is given and the thread kept the process's priority
        assertThat(r.reason()).isNotBlank();
        assertThat(seen).isEqualTo(ThreadNice.process());
      }
      case LoopPriority.Outcome.NotAsked n -> throw new AssertionError("a boost of 3 was asked");
    }
  }

  @Test
  void offAsksNothing() {
    LoopPriority off = new LoopPriority(0);
    off.raiseCurrentThread();
    assertThat(off.outcome()).isInstanceOf(LoopPriority.Outcome.NotAsked.class);
  }

  @Test
  void withoutTheLibcFunctionsTheLoopsKeepTheirPriority() {
    LoopPriority unavailable = new LoopPriority(5, Optional.empty());
    unavailable.raiseCurrentThread();
    assertThat(unavailable.outcome())
        .isInstanceOfSatisfying(
            LoopPriority.Outcome.Refused.class,
            r -> assertThat(r.reason()).contains("not available"));
  }

  @Test
  void refusesABoostOutsideTheNicenessRange() {
    assertThatThrownBy(() -> new LoopPriority(-1))
        .hasMessageContaining("PARLEY_MEDIA_LOOP_PRIORITY");
    assertThatThrownBy(() -> new LoopPriority(40))
        .hasMessageContaining("PARLEY_MEDIA_LOOP_PRIORITY");
  }
}
