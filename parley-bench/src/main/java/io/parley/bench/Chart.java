package io.parley.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A small SVG chart of a run, written by hand (no charting library): Parley's added latency p50 and
 * p99 (left axis, logarithmic) and the server's CPU seconds per call-minute (right axis, with the
 * instrument's beside it) against concurrent calls. Steps where the instrument was late are drawn
 * hollow; the cold-start step is a separate marker.
 */
final class Chart {
  private static final int WIDTH = 760;
  private static final int HEIGHT = 440;
  private static final int LEFT = 70;
  private static final int RIGHT = 670;
  private static final int TOP = 50;
  private static final int BOTTOM = 360;
  private static final String P50 = "#1f77b4";
  private static final String P99 = "#d62728";
  private static final String CPU = "#2ca02c";
  private static final String INSTRUMENT = "#7f7f7f";

  private Chart() {}

  /** One point of a series: concurrency, value, and whether its step was valid. */
  record Point(double calls, double value, boolean valid) {}

  static String svg(List<StepResult> steps, StepResult cold) {
    List<Point> p50 = new ArrayList<>();
    List<Point> p99 = new ArrayList<>();
    List<Point> cpu = new ArrayList<>();
    List<Point> instrument = new ArrayList<>();
    for (StepResult s : steps) {
      p50.add(new Point(s.calls, s.added().p50(), s.valid()));
      p99.add(new Point(s.calls, s.added().p99(), s.valid()));
      cpu.add(new Point(s.calls, s.netCpuPerCallMinute(), s.valid()));
      instrument.add(new Point(s.calls, s.instrumentCpuPerCallMinute(), s.valid()));
    }
    List<Point> all = new ArrayList<>(p99);
    List<Point> allCpu = new ArrayList<>(cpu);
    allCpu.addAll(instrument);
    if (cold != null) {
      all.add(new Point(cold.calls, cold.added().p99(), cold.valid()));
      allCpu.add(new Point(cold.calls, cold.netCpuPerCallMinute(), cold.valid()));
    }
    double xMax =
        niceCeiling(Math.max(10, all.stream().mapToDouble(Point::calls).max().orElse(10)));
    double latencyMax =
        Math.pow(
            10,
            Math.max(
                2,
                Math.ceil(
                    Math.log10(
                        Math.max(
                            1,
                            all.stream()
                                .mapToDouble(Point::value)
                                .filter(v -> !Double.isNaN(v))
                                .max()
                                .orElse(100))))));
    double cpuMax =
        niceCeiling(
            Math.max(
                0.1,
                allCpu.stream()
                    .mapToDouble(Point::value)
                    .filter(v -> !Double.isNaN(v))
                    .max()
                    .orElse(1)));
    Scale x = v -> LEFT + (RIGHT - LEFT) * v / xMax;
    Scale yLatency =
        v -> BOTTOM - (BOTTOM - TOP) * Math.log10(Math.max(1, v)) / Math.log10(latencyMax);
    Scale yCpu = v -> BOTTOM - (BOTTOM - TOP) * Math.max(0, v) / cpuMax;

    StringBuilder out = new StringBuilder();
    out.append(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">\n"
            .formatted(WIDTH, HEIGHT, WIDTH, HEIGHT));
    out.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
    out.append(
        text(
            WIDTH / 2.0,
            22,
            "Parley: added latency and CPU per call-minute vs concurrent calls",
            "middle",
            "font-size=\"14\" font-weight=\"bold\""));
    // grid and axes
    for (double v = 1; v <= latencyMax * 1.0001; v *= 10) {
      double y = yLatency.at(v);
      out.append(line(LEFT, y, RIGHT, y, "#dddddd", ""));
      out.append(text(LEFT - 6, y + 4, label(v), "end", ""));
    }
    for (int i = 0; i <= 5; i++) {
      double v = cpuMax * i / 5;
      out.append(text(RIGHT + 6, yCpu.at(v) + 4, "%.2f".formatted(v), "start", ""));
    }
    for (int i = 0; i <= 5; i++) {
      double v = xMax * i / 5;
      double px = x.at(v);
      out.append(line(px, BOTTOM, px, BOTTOM + 5, "black", ""));
      out.append(text(px, BOTTOM + 18, label(v), "middle", ""));
    }
    out.append(line(LEFT, TOP, LEFT, BOTTOM, "black", ""));
    out.append(line(RIGHT, TOP, RIGHT, BOTTOM, "black", ""));
    out.append(line(LEFT, BOTTOM, RIGHT, BOTTOM, "black", ""));
    out.append(text((LEFT + RIGHT) / 2.0, BOTTOM + 36, "concurrent calls", "middle", ""));
    out.append(
        text(
            18,
            (TOP + BOTTOM) / 2.0,
            "added latency, ms (log)",
            "middle",
            "transform=\"rotate(-90 18 %.1f)\"".formatted((TOP + BOTTOM) / 2.0)));
    out.append(
        text(
            WIDTH - 14,
            (TOP + BOTTOM) / 2.0,
            "CPU s per call-minute",
            "middle",
            "transform=\"rotate(90 %d %.1f)\"".formatted(WIDTH - 14, (TOP + BOTTOM) / 2.0)));
    // the capacity search's limit
    double limit = yLatency.at(StepResult.CAPACITY_MAX_ADDED_P99_MS);
    out.append(line(LEFT, limit, RIGHT, limit, P99, "stroke-dasharray=\"2,3\""));
    out.append(
        text(
            LEFT + 4,
            limit - 4,
            "%.0f ms (capacity limit)".formatted(StepResult.CAPACITY_MAX_ADDED_P99_MS),
            "start",
            "fill=\"%s\"".formatted(P99)));
    series(out, p50, x, yLatency, P50, "", "circle");
    series(out, p99, x, yLatency, P99, "", "square");
    series(out, cpu, x, yCpu, CPU, "stroke-dasharray=\"6,3\"", "diamond");
    series(out, instrument, x, yCpu, INSTRUMENT, "stroke-dasharray=\"2,2\"", "diamond");
    if (cold != null) {
      marker(out, "triangle", x.at(cold.calls), yLatency.at(cold.added().p99()), P99, false);
      marker(out, "triangle", x.at(cold.calls), yCpu.at(cold.netCpuPerCallMinute()), CPU, false);
    }
    // legend
    int ly = BOTTOM + 56;
    legend(out, LEFT, ly, P50, "circle", "added latency p50");
    legend(out, LEFT + 150, ly, P99, "square", "added latency p99");
    legend(out, LEFT + 300, ly, CPU, "diamond", "server CPU s / call-min (net of idle)");
    ly += 18;
    legend(out, LEFT, ly, INSTRUMENT, "diamond", "instrument CPU s / call-min");
    if (cold != null) {
      legend(out, LEFT + 220, ly, P99, "triangle", "cold start (first minute): p99, CPU");
    }
    out.append(
        text(
            RIGHT,
            ly,
            "hollow: instrument-bound step",
            "end",
            "fill=\"%s\"".formatted(INSTRUMENT)));
    out.append("</svg>\n");
    return out.toString();
  }

  @FunctionalInterface
  private interface Scale {
    double at(double v);
  }

  private static void series(
      StringBuilder out,
      List<Point> points,
      Scale x,
      Scale y,
      String color,
      String style,
      String shape) {
    StringBuilder path = new StringBuilder();
    for (Point p : points) {
      if (Double.isNaN(p.value())) {
        continue;
      }
      path.append(path.isEmpty() ? "M" : " L")
          .append(n(x.at(p.calls())))
          .append(',')
          .append(n(y.at(p.value())));
    }
    if (!path.isEmpty()) {
      out.append(
          "<path d=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\" %s/>\n"
              .formatted(path, color, style));
    }
    for (Point p : points) {
      if (!Double.isNaN(p.value())) {
        marker(out, shape, x.at(p.calls()), y.at(p.value()), color, p.valid());
      }
    }
  }

  private static void marker(
      StringBuilder out, String shape, double cx, double cy, String color, boolean filled) {
    if (Double.isNaN(cy)) {
      return;
    }
    String paint =
        filled
            ? "fill=\"%s\" stroke=\"%s\"".formatted(color, color)
            : "fill=\"white\" stroke=\"%s\" stroke-width=\"1.5\"".formatted(color);
    switch (shape) {
      case "circle" ->
          out.append("<circle cx=\"%s\" cy=\"%s\" r=\"4\" %s/>\n".formatted(n(cx), n(cy), paint));
      case "square" ->
          out.append(
              "<rect x=\"%s\" y=\"%s\" width=\"8\" height=\"8\" %s/>\n"
                  .formatted(n(cx - 4), n(cy - 4), paint));
      case "diamond" ->
          out.append(
              "<polygon points=\"%s,%s %s,%s %s,%s %s,%s\" %s/>\n"
                  .formatted(
                      n(cx), n(cy - 5), n(cx + 5), n(cy), n(cx), n(cy + 5), n(cx - 5), n(cy),
                      paint));
      default ->
          out.append(
              "<polygon points=\"%s,%s %s,%s %s,%s\" %s/>\n"
                  .formatted(n(cx), n(cy - 6), n(cx + 6), n(cy + 5), n(cx - 6), n(cy + 5), paint));
    }
  }

  private static void legend(
      StringBuilder out, double x, double y, String color, String shape, String what) {
    marker(out, shape, x + 5, y - 4, color, !shape.equals("triangle"));
    out.append(text(x + 14, y, what, "start", ""));
  }

  private static String line(double x1, double y1, double x2, double y2, String color, String s) {
    return "<line x1=\"%s\" y1=\"%s\" x2=\"%s\" y2=\"%s\" stroke=\"%s\" %s/>\n"
        .formatted(n(x1), n(y1), n(x2), n(y2), color, s);
  }

  private static String text(double x, double y, String t, String anchor, String extra) {
    return "<text x=\"%s\" y=\"%s\" text-anchor=\"%s\" %s>%s</text>\n"
        .formatted(n(x), n(y), anchor, extra, escape(t));
  }

  private static String escape(String t) {
    return t.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  private static String n(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }

  private static String label(double v) {
    return v >= 1000 && v % 1000 == 0
        ? String.format(Locale.ROOT, "%.0fk", v / 1000)
        : String.format(Locale.ROOT, v == Math.rint(v) ? "%.0f" : "%.1f", v);
  }

  /** 1, 2, 2.5, 5 or 10 times a power of ten, at least v. */
  static double niceCeiling(double v) {
    double magnitude = Math.pow(10, Math.floor(Math.log10(v)));
    for (double step : new double[] {1, 2, 2.5, 5, 10}) {
      if (step * magnitude >= v - 1e-9) {
        return step * magnitude;
      }
    }
    return 10 * magnitude;
  }
}
