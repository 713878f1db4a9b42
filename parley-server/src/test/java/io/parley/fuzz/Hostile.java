package io.parley.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * What an attacker sends, drawn from one seeded {@link Random} so every run of a seed sends the
 * same requests: odd values of every JSON type, text that databases, logs and parsers choke on, and
 * mutations of a valid body (a field replaced, removed or added, the text cut or corrupted).
 */
final class Hostile {

  static final JsonMapper JSON = JsonMapper.builder().build();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** JSON value texts that a tree cannot hold, put in place of a marker after writing. */
  private static final List<String> RAW_VALUES =
      List.of(
          "1e309",
          "-1e309",
          "-0",
          "99999999999999999999999999999",
          "0.000000000000000000000000000001",
          "\"\\ud800\"",
          "\"\\udfff\\ud800\"",
          "\"\\u0000\"",
          "\"a\\u0000b\"",
          "\"\\r\\n2026-01-01 ERROR forged line\"",
          "\"\\u202e\\u2028\\u0085\"",
          "\"\\uffff\\ufffe\"",
          "NaN",
          "Infinity",
          "01",
          "true false",
          "[" + "[".repeat(1500) + "]".repeat(1500) + "]");

  private static final List<String> NASTY_TEXT =
      List.of(
          "",
          " ",
          "\t",
          "\u0000",
          "x\u0000",
          "\r\nforged: line",
          "line\nbreak",
          "\u202egnp.exe",
          "\u2028\u2029",
          "😀👍🏽",
          "नमस्ते",
          "'; DROP TABLE call_record; --",
          "' OR '1'='1",
          "<script>alert(1)</script>",
          "{{first_name}}",
          "${jndi:ldap://x/a}",
          "#{7*7}",
          "../../../../etc/passwd",
          "%00%2F%0d%0a",
          "\\u0000",
          "null",
          "true",
          "+1",
          "0x10",
          "1e3",
          "-1",
          "2147483648",
          "+14155550123",
          "+80012345678",
          "sip:desk@pbx.example.com",
          "anonymous",
          "Asia/Kolkata",
          "Mars/Olympus_Mons",
          "latest",
          "end_call",
          "OPERATOR",
          "ADMIN",
          "dual",
          "enable");

  private final Random random;

  Hostile(Random random) {
    this.random = random;
  }

  Random random() {
    return random;
  }

  int between(int from, int to) {
    return from + random.nextInt(to - from + 1);
  }

  boolean chance(double probability) {
    return random.nextDouble() < probability;
  }

  <T> T pick(List<T> values) {
    return values.get(random.nextInt(values.size()));
  }

  /** Text that is odd for a reason: control characters, injections, encodings, sheer length. */
  String text() {
    return switch (random.nextInt(8)) {
      case 0 -> "x".repeat(pick(List.of(101, 201, 256, 1001, 2001, 20_001, 70_000)));
      case 1 -> randomUnicode(between(1, 40));
      case 2 -> UUID.randomUUID().toString();
      case 3 -> Integer.toString(random.nextInt());
      default -> pick(NASTY_TEXT);
    };
  }

  private String randomUnicode(int length) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < length; i++) {
      int kind = random.nextInt(5);
      int code =
          switch (kind) {
            case 0 -> random.nextInt(0x20); // control characters
            case 1 -> 0x20 + random.nextInt(0x5f); // printable ASCII
            case 2 -> 0x80 + random.nextInt(0x780); // Latin, Greek, Cyrillic...
            case 3 -> 0x900 + random.nextInt(0x80); // Devanagari
            default -> 0x1F300 + random.nextInt(0x300); // emoji, outside the BMP
          };
      out.appendCodePoint(code);
    }
    return out.toString();
  }

  /** Any JSON value, shallow or deep. */
  JsonNode value() {
    return switch (random.nextInt(12)) {
      case 0 -> NODES.nullNode();
      case 1 -> NODES.booleanNode(random.nextBoolean());
      case 2 ->
          NODES.numberNode(
              pick(
                  List.of(
                      0L,
                      -1L,
                      1L,
                      30L,
                      14_400L,
                      Integer.MAX_VALUE + 1L,
                      (long) Integer.MIN_VALUE,
                      Long.MAX_VALUE,
                      Long.MIN_VALUE)));
      case 3 -> NODES.numberNode(pick(List.of(0.5, -0.1, 2.5, 1e300, -1e-300, 600.5)));
      case 4 -> NODES.arrayNode();
      case 5 -> NODES.arrayNode().add(text()).add(1).addNull().add(NODES.objectNode());
      case 6 -> NODES.objectNode();
      case 7 -> NODES.objectNode().put(text(), text()).set("nested", NODES.objectNode());
      case 8 -> deep(between(10, 60));
      default -> NODES.stringNode(text());
    };
  }

  private JsonNode deep(int depth) {
    JsonNode node = NODES.stringNode("bottom");
    for (int i = 0; i < depth; i++) {
      node = random.nextBoolean() ? NODES.arrayNode().add(node) : NODES.objectNode().set("d", node);
    }
    return node;
  }

  /**
   * A body made from {@code template}: one to three field mutations, then sometimes a mutation of
   * the text itself. Returns the bytes to send.
   */
  byte[] mutate(ObjectNode template) {
    ObjectNode body = template.deepCopy();
    int mutations = between(1, 3);
    List<String> raw = new ArrayList<>();
    for (int i = 0; i < mutations; i++) {
      mutateOnce(body, raw);
    }
    String text = JSON.writeValueAsString(body);
    for (int i = 0; i < raw.size(); i++) {
      text = text.replace("\"@@RAW" + i + "@@\"", raw.get(i));
    }
    if (chance(0.15)) {
      text = mutateText(text);
    }
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private void mutateOnce(ObjectNode body, List<String> raw) {
    ObjectNode target = randomObject(body);
    List<String> names = new ArrayList<>();
    target.propertyNames().forEach(names::add);
    int choice = random.nextInt(10);
    if (names.isEmpty() || choice == 0) {
      target.set(chance(0.5) ? text() : pick(List.of("enabled", "role", "id", "version")), value());
    } else if (choice == 1) {
      target.remove(pick(names));
    } else if (choice == 2) {
      target.put(pick(names), "@@RAW" + raw.size() + "@@");
      raw.add(pick(RAW_VALUES));
    } else {
      target.set(pick(names), value());
    }
  }

  /** The body itself or one of the objects inside it. */
  private ObjectNode randomObject(ObjectNode body) {
    List<ObjectNode> objects = new ArrayList<>();
    collect(body, objects);
    return pick(objects);
  }

  private static void collect(JsonNode node, List<ObjectNode> objects) {
    if (node instanceof ObjectNode object) {
      objects.add(object);
      for (Iterator<Map.Entry<String, JsonNode>> it = object.properties().iterator();
          it.hasNext(); ) {
        collect(it.next().getValue(), objects);
      }
    } else if (node instanceof ArrayNode array) {
      array.forEach(element -> collect(element, objects));
    }
  }

  /** Broken JSON: cut, corrupted, wrapped, doubled keys, or something else altogether. */
  String mutateText(String text) {
    return switch (random.nextInt(8)) {
      case 0 -> text.substring(0, random.nextInt(Math.max(1, text.length())));
      case 1 -> "[" + text + "]";
      case 2 -> text + text;
      case 3 -> text.replaceFirst("\\{", "{\"role\": \"ADMIN\", \"role\": \"VIEWER\", ");
      case 4 -> {
        int at = random.nextInt(Math.max(1, text.length()));
        yield text.substring(0, at)
            + pick(List.of("\u0000", "\\", "\"", "}", "\ud800"))
            + text.substring(at);
      }
      case 5 -> pick(List.of("", "null", "42", "\"text\"", "{}", "[]", "{\"a\":"));
      case 6 -> randomUnicode(between(1, 200));
      default -> text.replace("\"", "'");
    };
  }
}
