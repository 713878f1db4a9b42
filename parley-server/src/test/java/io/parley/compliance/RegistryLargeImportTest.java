package io.parley.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.shared.Actor;
import io.parley.shared.Organisations;
import io.parley.support.DatabaseCleaner;
import io.parley.support.DbTest;
import java.io.InputStream;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A registry import of a million numbers (or {@code -Dparley.registry.largeImport=<rows>}),
 * streamed from a generator so nothing holds the file, then replaced by a second import while the
 * gate keeps answering from the first. Not run by default (a minute or more on a 2-core machine):
 *
 * <pre>
 * ./mvnw -pl parley-server test -Dtest=RegistryLargeImportTest -Dparley.registry.largeImport=1000000
 * </pre>
 *
 * The figures it prints are in docs/compliance.md.
 */
@DbTest
@Tag("e2e")
@EnabledIfSystemProperty(named = "parley.registry.largeImport", matches = "\\d+")
class RegistryLargeImportTest {

  static final UUID ORG = Organisations.DEFAULT_ID;
  static final Actor ACTOR =
      new Actor(UUID.fromString("66666666-6666-6666-6666-666666666666"), "sup@example.com");

  @Autowired DataSource dataSource;
  @Autowired JdbcClient jdbc;
  @Autowired RegistryImporter importer;
  @Autowired RegistryService registries;
  @Autowired RegistryPurge purge;

  /**
   * The registry's flat layout, {@code 201,5550123}: {@code rows} numbers spread over 100 area
   * codes (201-300), generated as they are read.
   */
  static InputStream file(int rows, int seed) {
    return new InputStream() {
      int line;
      byte[] current = new byte[0];
      int at;

      @Override
      public int read() {
        if (at == current.length && !next()) {
          return -1;
        }
        return current[at++];
      }

      @Override
      public int read(byte[] buffer, int offset, int length) {
        int n = 0;
        while (n < length) {
          if (at == current.length && !next()) {
            return n == 0 ? -1 : n;
          }
          int take = Math.min(length - n, current.length - at);
          System.arraycopy(current, at, buffer, offset + n, take);
          at += take;
          n += take;
        }
        return n;
      }

      boolean next() {
        if (line == rows) {
          return false;
        }
        int area = 201 + line % 100;
        int local = 2_000_000 + (int) ((line / 100L * 7 + seed) % 8_000_000);
        current = (area + "," + local + "\n").getBytes();
        at = 0;
        line++;
        return true;
      }
    };
  }

  @Test
  void aMillionNumbersAreImportedStreamedAndReplacedWhileTheGateAnswers() throws Exception {
    DatabaseCleaner.clean(dataSource);
    int rows = Integer.getInteger("parley.registry.largeImport");
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    RegistryImporter.Request first =
        importer.check("US national", "national", today.minusDays(5).toString(), "201-300");

    long started = System.nanoTime();
    RegistryImportReport report =
        importer.importFile(ORG, first, file(rows, 0), RegistryImporter.Packing.PLAIN, ACTOR);
    double firstSeconds = (System.nanoTime() - started) / 1e9;
    assertThat(report.numbers()).isEqualTo(rows);
    assertThat(registries.check(ORG, "+12012000000")).isInstanceOf(RegistryLayer.Listed.class);

    // The replacement: the gate keeps answering from the first copy until the switch.
    RegistryImporter.Request second =
        importer.check("US national", null, today.toString(), "201-300");
    long gateChecks = 0;
    long gateNanos = 0;
    Thread replace =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    importer.importFile(
                        ORG, second, file(rows, 3), RegistryImporter.Packing.PLAIN, ACTOR);
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                });
    started = System.nanoTime();
    while (replace.isAlive()) {
      long t = System.nanoTime();
      RegistryLayer.Verdict verdict = registries.check(ORG, "+12012000000");
      gateNanos += System.nanoTime() - t;
      gateChecks++;
      // Listed in the first copy, and in the second (seed 3 lists 2000003, not 2000000) it is not:
      // the answer is one copy's or the other's, never a half-written one.
      assertThat(verdict).isInstanceOfAny(RegistryLayer.Listed.class, RegistryLayer.Clear.class);
      Thread.sleep(50);
    }
    replace.join();
    double secondSeconds = (System.nanoTime() - started) / 1e9;
    assertThat(registries.check(ORG, "+12012000000")).isInstanceOf(RegistryLayer.Clear.class);
    assertThat(registries.check(ORG, "+12012000003")).isInstanceOf(RegistryLayer.Listed.class);

    started = System.nanoTime();
    purge.purge();
    double purgeSeconds = (System.nanoTime() - started) / 1e9;
    long left = jdbc.sql("SELECT COUNT(*) FROM dnc_registry_number").query(Long.class).single();
    assertThat(left).isEqualTo(rows);
    System.out.printf(
        "REGISTRY IMPORT %,d rows: first %.1f s (%,.0f rows/s), replacement %.1f s, purge of the"
            + " replaced copy %.1f s, %d gate checks during the replacement, mean %.2f ms%n",
        rows,
        firstSeconds,
        rows / firstSeconds,
        secondSeconds,
        purgeSeconds,
        gateChecks,
        gateNanos / 1e6 / Math.max(1, gateChecks));
  }
}
