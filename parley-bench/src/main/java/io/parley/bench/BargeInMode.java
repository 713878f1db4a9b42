package io.parley.bench;

/**
 * The two turn-taking rules an agent can have, each measured on its own agent and number: any
 * speech interrupts at once, or (Parley's default) speech pauses the reply and two words over 300
 * ms confirm the interruption.
 */
enum BargeInMode {
  IMMEDIATE("immediate", "+14155550123", 0, 0),
  DEFAULT("default", "+14155550124", 2, 300);

  final String label;
  final String agentNumber;
  final int minWords;
  final int minSpeechMs;

  BargeInMode(String label, String agentNumber, int minWords, int minSpeechMs) {
    this.label = label;
    this.agentNumber = agentNumber;
    this.minWords = minWords;
    this.minSpeechMs = minSpeechMs;
  }

  /** The mode of call {@code index} of a step: they alternate. */
  static BargeInMode of(int index) {
    return values()[index % values().length];
  }
}
