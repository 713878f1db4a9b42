package io.parley.telephony.twilio;

/** A Media Streams frame that cannot be understood; the frame is dropped and counted. */
public class MalformedFrameException extends IllegalArgumentException {

  public MalformedFrameException(String message) {
    super(message);
  }
}
