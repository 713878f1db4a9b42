package io.parley.agents;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;
import java.util.regex.Pattern;

/** Phone number and SIP address checks for agent numbers and transfer targets. */
final class PhoneNumbers {

  private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();
  private static final Pattern SIP_URI =
      Pattern.compile("sips?:([^@\\s;]+@)?[A-Za-z0-9.-]+(:\\d{1,5})?(;[^\\s]*)?");

  private PhoneNumbers() {}

  /**
   * True when the text is a valid phone number written exactly in E.164 form ({@code
   * +14155550123}): Twilio reports numbers that way, so any other spelling would never match a
   * call.
   */
  static boolean isE164(String text) {
    if (text == null || !text.startsWith("+")) {
      return false;
    }
    try {
      var number = UTIL.parse(text, null);
      return UTIL.isValidNumber(number) && UTIL.format(number, PhoneNumberFormat.E164).equals(text);
    } catch (NumberParseException e) {
      return false;
    }
  }

  /** True for a {@code sip:} or {@code sips:} URI with a host. */
  static boolean isSipUri(String text) {
    return text != null && SIP_URI.matcher(text).matches();
  }
}
