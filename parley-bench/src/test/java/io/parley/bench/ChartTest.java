package io.parley.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.sim.Sim;
import io.parley.sim.SimConfig;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

class ChartTest {

  @Test
  void writesAWellFormedSvgWithOneMarkerPerStepAndSeries() throws Exception {
    try (Sim sim = Sim.start(SimConfig.defaults())) {
      List<StepResult> steps =
          List.of(
              Steps.step(sim, 1, 1, List.of(6.0, 9.0), 1, 5, 2),
              Steps.step(sim, 50, 50, List.of(8.0, 40.0), 2, 40, 50),
              Steps.step(sim, 100, 100, List.of(50.0, 2800.0), 9, 60, 100));
      StepResult cold = Steps.step(sim, 25, 25, List.of(38.0, 600.0), 3, 30, 25);
      String svg = Chart.svg(steps, cold);
      Document doc =
          DocumentBuilderFactory.newInstance()
              .newDocumentBuilder()
              .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
      assertThat(doc.getDocumentElement().getTagName()).isEqualTo("svg");
      // p50 circles: three steps and the legend's
      assertThat(doc.getElementsByTagName("circle").getLength()).isEqualTo(4);
      // the instrument-bound step (lateness 9 ms) is drawn hollow
      assertThat(svg).contains("fill=\"white\"");
      assertThat(svg).contains("30 ms (capacity limit)");
    }
  }

  @Test
  void roundsAxesToNiceNumbers() {
    assertThat(Chart.niceCeiling(0.37)).isEqualTo(0.5);
    assertThat(Chart.niceCeiling(1.8)).isEqualTo(2.0);
    assertThat(Chart.niceCeiling(100)).isEqualTo(100.0);
    assertThat(Chart.niceCeiling(130)).isEqualTo(200.0);
  }
}
