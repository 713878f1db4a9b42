package io.parley.sim.http;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * URL-encoded name/value pairs in wire order. Twilio sends arrays (StatusCallbackEvent) as repeated
 * keys, so a plain map would lose values; this keeps every pair.
 */
public record Params(List<Map.Entry<String, String>> pairs) {

  public Params {
    pairs = List.copyOf(pairs);
  }

  public static Params parse(String encoded) {
    List<Map.Entry<String, String>> pairs = new ArrayList<>();
    if (encoded != null && !encoded.isEmpty()) {
      for (String part : encoded.split("&")) {
        if (part.isEmpty()) {
          continue;
        }
        int eq = part.indexOf('=');
        String name = eq < 0 ? part : part.substring(0, eq);
        String value = eq < 0 ? "" : part.substring(eq + 1);
        pairs.add(Map.entry(decode(name), decode(value)));
      }
    }
    return new Params(pairs);
  }

  public static Params of(Map<String, String> map) {
    return new Params(new ArrayList<>(map.entrySet()));
  }

  public Optional<String> first(String name) {
    return pairs.stream().filter(e -> e.getKey().equals(name)).map(Map.Entry::getValue).findFirst();
  }

  public String get(String name) {
    return first(name).orElse(null);
  }

  public List<String> all(String name) {
    return pairs.stream().filter(e -> e.getKey().equals(name)).map(Map.Entry::getValue).toList();
  }

  public boolean has(String name) {
    return first(name).isPresent();
  }

  /** Last value per name, in first-seen order (what a client holding a Map would see). */
  public Map<String, String> asMap() {
    Map<String, String> map = new LinkedHashMap<>();
    pairs.forEach(e -> map.put(e.getKey(), e.getValue()));
    return map;
  }

  public String encode() {
    StringBuilder out = new StringBuilder();
    for (Map.Entry<String, String> e : pairs) {
      if (!out.isEmpty()) {
        out.append('&');
      }
      out.append(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8))
          .append('=')
          .append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
    }
    return out.toString();
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }
}
