package io.parley.bench;

import java.util.Arrays;
import java.util.Collection;
import tools.jackson.databind.node.ObjectNode;

/** Percentiles of a sample (nearest rank), in the unit the values came in. */
record Stats(int count, double p50, double p95, double p99, double max) {

  static Stats of(Collection<Double> values) {
    double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    if (v.length == 0) {
      return new Stats(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }
    return new Stats(v.length, rank(v, 50), rank(v, 95), rank(v, 99), v[v.length - 1]);
  }

  static Stats ofMicrosAsMillis(long[] micros) {
    return of(Arrays.stream(micros).mapToObj(m -> m / 1000.0).toList());
  }

  private static double rank(double[] sorted, double p) {
    int i = (int) Math.ceil(p / 100 * sorted.length) - 1;
    return sorted[Math.clamp(i, 0, sorted.length - 1)];
  }

  ObjectNode json() {
    ObjectNode o = ParleyApi.JSON.createObjectNode().put("count", count);
    put(o, "p50", p50);
    put(o, "p95", p95);
    put(o, "p99", p99);
    put(o, "max", max);
    return o;
  }

  static void put(ObjectNode o, String field, double value) {
    if (Double.isNaN(value)) {
      o.putNull(field);
    } else {
      o.put(field, Math.round(value * 1000) / 1000.0);
    }
  }
}
