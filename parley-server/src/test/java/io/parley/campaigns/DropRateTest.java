package io.parley.campaigns;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** The abandonment control: the rate the rules judge, and what the dispatcher does about it. */
class DropRateTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final AbandonmentSettings LIMITS = AbandonmentSettings.defaults();

  @Test
  void theRateIsDropsOverLiveAnswersAndMachinesAreTheirOwnRate() {
    DropRate rate = new DropRate(50, 40, 2, 10);
    assertThat(rate.rate()).isEqualTo(0.05);
    assertThat(rate.amdHangUpRate()).isEqualTo(0.2);
    assertThat(DropRate.none().rate()).isNull();
    assertThat(DropRate.none().amdHangUpRate()).isNull();
  }

  @Test
  void belowAHundredLiveAnswersTheControlCountsAHundred() {
    // One drop in ten answers is 10 %, but 1 % of the hundred the control counts at least.
    assertThat(new DropRate(10, 10, 1, 0).control(LIMITS)).isEqualTo(DropRate.Control.NORMAL);
    assertThat(new DropRate(40, 40, 2, 0).control(LIMITS)).isEqualTo(DropRate.Control.NORMAL);
    assertThat(new DropRate(40, 40, 3, 0).control(LIMITS)).isEqualTo(DropRate.Control.PAUSE);
  }

  @Test
  void nearTheLimitTheCampaignSlowsAndAtItItPauses() {
    assertThat(new DropRate(1000, 1000, 24, 0).control(LIMITS)).isEqualTo(DropRate.Control.NORMAL);
    assertThat(new DropRate(1000, 1000, 25, 0).control(LIMITS)).isEqualTo(DropRate.Control.SLOW);
    assertThat(new DropRate(1000, 1000, 29, 0).control(LIMITS)).isEqualTo(DropRate.Control.SLOW);
    assertThat(new DropRate(1000, 1000, 30, 0).control(LIMITS)).isEqualTo(DropRate.Control.PAUSE);
    assertThat(DropRate.none().control(LIMITS)).isEqualTo(DropRate.Control.NORMAL);
  }

  @Test
  void slowMeansHalfTheConcurrencyAndOneAtLeast() {
    assertThat(DropRate.concurrency(DropRate.Control.SLOW, 10)).isEqualTo(5);
    assertThat(DropRate.concurrency(DropRate.Control.SLOW, 1)).isEqualTo(1);
    assertThat(DropRate.concurrency(DropRate.Control.NORMAL, 10)).isEqualTo(10);
  }

  @Test
  void aCampaignMayHoldItselfToLessThanTheLegalLimitButNeverMore() {
    Map<String, String> errors = new LinkedHashMap<>();
    AbandonmentSettings strict =
        AbandonmentSettings.parse(
            JSON.readTree(
                "{\"limitPercent\": 1, \"warnPercent\": 0.5, \"safeHarbourMessage\": \" Hi. \"}"),
            "settings.abandonment",
            errors);
    assertThat(errors).isEmpty();
    assertThat(strict.limitPercent()).isEqualByComparingTo(BigDecimal.ONE);
    assertThat(strict.safeHarbourMessage()).isEqualTo("Hi.");
    assertThat(new DropRate(100, 100, 1, 0).control(strict)).isEqualTo(DropRate.Control.PAUSE);

    AbandonmentSettings.parse(
        JSON.readTree(
            "{\"limitPercent\": 3.5, \"warnPercent\": \"x\", \"safeHarbourMessage\": \"\","
                + " \"dropAction\": 1}"),
        "settings.abandonment",
        errors);
    assertThat(errors)
        .containsOnlyKeys(
            "settings.abandonment.limitPercent",
            "settings.abandonment.warnPercent",
            "settings.abandonment.safeHarbourMessage",
            "settings.abandonment.dropAction");

    errors.clear();
    AbandonmentSettings.parse(
        JSON.readTree("{\"limitPercent\": 2, \"warnPercent\": 2.5}"), "a", errors);
    assertThat(errors).containsOnlyKeys("a.warnPercent");
    errors.clear();
    AbandonmentSettings.parse(
        JSON.readTree("{\"safeHarbourMessage\": \"" + "x".repeat(501) + "\"}"), "a", errors);
    assertThat(errors).containsOnlyKeys("a.safeHarbourMessage");
    errors.clear();
    assertThat(AbandonmentSettings.parse(null, "a", errors)).isEqualTo(LIMITS);
    AbandonmentSettings.parse(JSON.readTree("[]"), "a", errors);
    assertThat(errors).containsOnlyKeys("a");
  }
}
