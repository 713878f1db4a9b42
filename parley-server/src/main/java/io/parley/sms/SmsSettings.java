package io.parley.sms;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Text message settings. Each reply is sent only when set: on Twilio numbers with its default
 * opt-out handling (long codes, toll-free) Twilio itself confirms STOP and START, and a second
 * confirmation from Parley would be one text too many.
 *
 * @param helpText {@code PARLEY_SMS_HELP_TEXT}: the answer to HELP (who you are, how to reach you,
 *     how to stop); unset, Parley does not answer HELP (Twilio's default handling answers it with
 *     its standard text)
 * @param optOutReply {@code PARLEY_SMS_OPT_OUT_REPLY}: a confirmation of an opt-out word, for
 *     numbers whose Twilio opt-out handling is turned off; unset (the default), no confirmation
 * @param optInReply {@code PARLEY_SMS_OPT_IN_REPLY}: the same for START and UNSTOP
 */
@ConfigurationProperties("parley.sms")
record SmsSettings(String helpText, String optOutReply, String optInReply) {

  static final int MAX_REPLY = 1600;

  SmsSettings {
    helpText = checked(helpText, "PARLEY_SMS_HELP_TEXT");
    optOutReply = checked(optOutReply, "PARLEY_SMS_OPT_OUT_REPLY");
    optInReply = checked(optInReply, "PARLEY_SMS_OPT_IN_REPLY");
  }

  private static String checked(String text, String name) {
    if (text == null || text.isBlank()) {
      return null;
    }
    String stripped = text.strip();
    if (stripped.length() > MAX_REPLY) {
      throw new IllegalArgumentException(
          name + " must be at most " + MAX_REPLY + " characters (Twilio's limit)");
    }
    return stripped;
  }
}
