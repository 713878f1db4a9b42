package io.parley.telephony;

import java.net.URI;
import java.util.Map;

/**
 * The few TwiML documents Parley answers with, written directly (twilio-java's TwiML builder needs
 * an XML data format Parley does not otherwise ship). Every value is escaped.
 */
public final class Twiml {

  private static final String HEAD = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response>";
  private static final String TAIL = "</Response>";

  private Twiml() {}

  /** Says a sentence, then hangs up. */
  public static String sayAndHangUp(String sentence) {
    return HEAD + "<Say>" + escape(sentence) + "</Say><Hangup/>" + TAIL;
  }

  public static String hangUp() {
    return HEAD + "<Hangup/>" + TAIL;
  }

  /**
   * Connects the call to a bidirectional media stream; {@code action} is requested when it ends.
   */
  public static String connectStream(URI streamUrl, Map<String, String> parameters, URI action) {
    StringBuilder out = new StringBuilder(HEAD);
    out.append("<Connect action=\"").append(escape(action.toString())).append("\">");
    out.append("<Stream url=\"").append(escape(streamUrl.toString())).append("\">");
    parameters.forEach(
        (name, value) ->
            out.append("<Parameter name=\"")
                .append(escape(name))
                .append("\" value=\"")
                .append(escape(value))
                .append("\"/>"));
    return out.append("</Stream></Connect>").append(TAIL).toString();
  }

  /** Dials a phone number ({@code +1...}) or a SIP URI: the transfer of a live call. */
  public static String dial(String target) {
    String noun =
        target.startsWith("sip:")
            ? "<Sip>" + escape(target) + "</Sip>"
            : "<Number>" + escape(target) + "</Number>";
    return HEAD + "<Dial>" + noun + "</Dial>" + TAIL;
  }

  static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&apos;");
        default -> {
          if (c >= 0x20 || c == '\t' || c == '\n' || c == '\r') {
            out.append(c);
          }
        }
      }
    }
    return out.toString();
  }
}
