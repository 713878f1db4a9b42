package io.parley.sim.audio;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

class EmissionLogTest {

  @Test
  void audioHeardInOrderMapsToTheEmissionsInTheOrderTheyWereMade() {
    EmissionLog log = new EmissionLog();
    EmissionLog.Emission first = log.emit("tts", "cats and dogs");
    // starts with a word that a later emission also says: the same audio for "and"
    EmissionLog.Emission second = log.emit("tts", "and then some");
    EmissionLog.Emission third = log.emit("tts", "bread and butter");
    ByteArrayOutputStream heard = new ByteArrayOutputStream();
    heard.writeBytes(first.audio());
    heard.writeBytes(second.audio());
    heard.writeBytes(third.audio());

    // as a caller hears it: 20 ms frames, each located after the one before
    byte[] all = heard.toByteArray();
    List<EmissionLog.Run> runs = new java.util.ArrayList<>();
    EmissionLog.Run previous = null;
    for (int at = 0; at < all.length; at += 160) {
      for (EmissionLog.Run run :
          log.locate(
              java.util.Arrays.copyOfRange(all, at, Math.min(all.length, at + 160)), previous)) {
        if (previous == null || run.emission() != previous.emission()) {
          runs.add(run);
        }
        previous = run;
      }
    }

    assertThat(runs)
        .extracting(r -> r.emission().id())
        .containsExactly(first.id(), second.id(), third.id());
    assertThat(runs).allSatisfy(r -> assertThat(r.emissionOffset()).isZero());
  }
}
