package io.parley.bench;

import io.parley.sim.SimConfig;
import io.parley.sim.caller.CallerScript;
import io.parley.sim.llm.LlmConfig.Rule;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What every call of a run says and hears. Each call carries a code of two words ("amber basil") in
 * everything its caller says and in the first clause of every reply, so the model's requests, the
 * voice's text and the caller's audio can be tied to one call and one turn, even though 200 calls
 * follow the same script at once.
 */
final class Scenario {
  static final String GREETING = "Hello, this is the bench line. How can I help?";

  private static final String[] WORDS = {
    "amber", "basil", "cedar", "delta", "ember", "fable", "garnet", "harbor", "indigo", "jasper",
    "kestrel", "lemon", "maple", "nectar", "olive", "pepper", "quartz", "raven", "sable", "tulip",
    "umber", "violet", "willow", "xenon", "yarrow", "zephyr"
  };

  /** One turn of the script: what the caller says and what the model answers. */
  record Turn(String key, String said, String reply, boolean bargeIn, boolean interrupted) {}

  private final boolean smoke;

  Scenario(boolean smoke) {
    this.smoke = smoke;
  }

  static String code(int call) {
    return WORDS[call % WORDS.length] + " " + WORDS[(call / WORDS.length) % WORDS.length];
  }

  /** The caller's number for call {@code i}: a valid San Francisco number. */
  static String callerNumber(int call) {
    return "+1415555%04d".formatted(2000 + call);
  }

  /** The turns of one call, in order. */
  List<Turn> turns(String code) {
    String story =
        "All right "
            + code
            + ", this one is long. Once upon a time there was a little restaurant by the sea."
            + " Every evening the cook made fresh pasta, and people came from far away to eat it,"
            + " sitting by the windows and watching the boats come home while the sun went down"
            + " over the water. One night a storm came, and the lights went out, but the cook kept"
            + " cooking by candle light and nobody left before the last plate was served.";
    List<Turn> turns = new ArrayList<>();
    turns.add(
        new Turn(
            "story",
            "tell me a story " + code,
            "Sure "
                + code
                + ", here is one. A cook by the sea made fresh pasta, and people came from far"
                + " away to eat it.",
            false,
            false));
    if (!smoke) {
      turns.add(
          new Turn(
              "another",
              "and another one " + code,
              "Of course "
                  + code
                  + ", another one. A fisherman found a bottle on the beach, and inside it was a"
                  + " map to the best table in town.",
              false,
              false));
    }
    turns.add(new Turn("long", "the long one please " + code, story, false, true));
    turns.add(
        new Turn(
            "wait", "sorry wait " + code, "No problem " + code + ", take your time.", true, false));
    if (!smoke) {
      turns.add(
          new Turn(
              "all",
              "thanks that is all " + code,
              "Thank you " + code + ", goodbye for now.",
              false,
              false));
    }
    return turns;
  }

  /**
   * Before the second turn the caller stays quiet this long, longer than the 5 s after which the
   * simulated providers (as Node servers do) close idle connections: every step includes a turn
   * whose model request would find its pooled connection closed, as real callers make happen.
   */
  static final int LONG_PAUSE_MS = 6000;

  /**
   * The caller's script: each sentence after the agent went quiet (once after a long pause), one
   * barge-in, a hang-up.
   */
  CallerScript script(String code) {
    StringBuilder yaml = new StringBuilder();
    List<Turn> turns = turns(code);
    for (int i = 0; i < turns.size(); i++) {
      Turn t = turns.get(i);
      // a long reply must not make the caller give up waiting (maxWaitMs) and talk over it
      yaml.append("- say: \"").append(t.said()).append("\"\n  maxWaitMs: 60000\n");
      if (t.bargeIn()) {
        yaml.append("  intoAgentReplyMs: 1500\n");
      } else if (i == 1) {
        yaml.append("  quietMs: ").append(LONG_PAUSE_MS).append('\n');
      }
    }
    // the last reply plays out, then the caller hangs up
    yaml.append("- silenceMs: 4000\n- hangupAfterMs: 200\n");
    return SimConfig.script(yaml.toString());
  }

  /** The model's rules for calls 0 to n-1: one per call and turn, on the turn's words and code. */
  List<Rule> rules(int calls) {
    List<Rule> rules = new ArrayList<>();
    for (int i = 0; i < calls; i++) {
      String code = code(i);
      for (Turn t : turns(code)) {
        rules.add(Rule.user("\\b" + t.said() + "\\b", t.reply()));
      }
    }
    return rules;
  }

  /** The turn whose caller sentence this (transcribed) user message is, or null. */
  Turn turnFor(String code, String userMessage) {
    String said = normalise(userMessage);
    for (Turn t : turns(code)) {
      if (said.contains(normalise(t.said()))) {
        return t;
      }
    }
    return null;
  }

  static String normalise(String s) {
    return s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9 ]", " ").replaceAll("\\s+", " ").trim();
  }
}
