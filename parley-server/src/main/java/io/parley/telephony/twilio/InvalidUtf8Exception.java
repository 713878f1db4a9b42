package io.parley.telephony.twilio;

/**
 * A text message whose bytes are not UTF-8. RFC 6455 says the socket then fails at once (close
 * 1007), unlike a malformed message, which is counted and tolerated up to a budget.
 */
public final class InvalidUtf8Exception extends MalformedFrameException {
  public InvalidUtf8Exception() {
    super("the message is not valid UTF-8");
  }
}
