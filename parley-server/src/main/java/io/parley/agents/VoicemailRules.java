package io.parley.agents;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import io.parley.prompts.MessageTemplate;
import java.util.Optional;

/**
 * What the rules for prerecorded and artificial-voice messages (47 CFR 64.1200(b)(2), 16 CFR
 * 310.4(d)) require of a voicemail text that Parley can check: a call-back number. The other
 * requirement, naming the caller (the seller), cannot be checked and is up to whoever writes it.
 * Agents' and campaigns' messages share these checks, and the {@code {{name}}} placeholders a text
 * may hold ({@link MessageTemplate}, filled when a call is placed).
 */
public final class VoicemailRules {

  /**
   * The region a number written without {@code +} and a country code is read in: the rules are the
   * United States', so is a number written the national way ({@code (415) 555-0123}).
   */
  static final String REGION = "US";

  /** Why a message without a number is refused, for the field's error. */
  public static final String MISSING_CALL_BACK_NUMBER =
      "must give a call-back number, written as digits (e.g. 415-555-0123, or + and the country"
          + " code for one outside the US): the rules for prerecorded messages require one (47 CFR"
          + " 64.1200(b)(2), 16 CFR 310.4(d))";

  private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();

  private VoicemailRules() {}

  /**
   * Why a voicemail text cannot be saved, completing "the field ...": a malformed placeholder, or
   * no call-back number in its own words (a number only a placeholder would give is unchecked, so
   * it does not count); empty when it can.
   */
  public static Optional<String> problem(String text) {
    Optional<String> syntax = MessageTemplate.problem(text);
    if (syntax.isPresent()) {
      return syntax;
    }
    return hasCallBackNumber(text) ? Optional.empty() : Optional.of(MISSING_CALL_BACK_NUMBER);
  }

  /** Whether {@code text} holds a valid phone number, as libphonenumber finds one in prose. */
  static boolean hasCallBackNumber(String text) {
    return text != null && UTIL.findNumbers(text, REGION).iterator().hasNext();
  }
}
