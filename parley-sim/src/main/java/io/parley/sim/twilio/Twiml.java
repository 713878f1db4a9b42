package io.parley.sim.twilio;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.InputSource;

/** The TwiML verbs the simulated carrier executes, parsed from a {@code <Response>} document. */
public final class Twiml {
  private Twiml() {}

  /** One verb of a TwiML document. */
  public sealed interface Verb {}

  /** Spoken text; the simulated carrier plays it as silence of a length that follows the text. */
  public record Say(String text, int loop) implements Verb {}

  public record Pause(int lengthSeconds) implements Verb {}

  public record Hangup() implements Verb {}

  public record Redirect(String url, String method) implements Verb {}

  /** A transfer: the simulator records the target and ends the leg when the dial is over. */
  public record Dial(String target, String action, int timeoutSeconds) implements Verb {}

  /**
   * {@code <Connect><Stream>}: a bidirectional media stream; the rest of the document waits until
   * the socket closes, then {@code action} (on {@code <Connect>}) is requested if present.
   */
  public record ConnectStream(
      String url,
      String name,
      Map<String, String> parameters,
      String statusCallback,
      String action,
      String method)
      implements Verb {}

  /** A verb the simulator does not execute; the call fails as Twilio fails on invalid TwiML. */
  public record Unsupported(String name) implements Verb {}

  public static List<Verb> parse(String xml) {
    Element root;
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      root =
          factory
              .newDocumentBuilder()
              .parse(new InputSource(new StringReader(xml.strip())))
              .getDocumentElement();
    } catch (Exception e) {
      throw new IllegalArgumentException("not a TwiML document: " + e.getMessage(), e);
    }
    if (!root.getTagName().equals("Response")) {
      throw new IllegalArgumentException("TwiML root must be <Response>, not " + root.getTagName());
    }
    List<Verb> verbs = new ArrayList<>();
    for (Element e : children(root)) {
      verbs.add(verb(e));
    }
    return verbs;
  }

  private static Verb verb(Element e) {
    return switch (e.getTagName()) {
      case "Say" -> new Say(e.getTextContent().strip(), intAttr(e, "loop", 1));
      case "Pause" -> new Pause(intAttr(e, "length", 1));
      case "Hangup" -> new Hangup();
      case "Redirect" -> new Redirect(e.getTextContent().strip(), attr(e, "method", "POST"));
      case "Dial" -> {
        String target = e.getTextContent().strip();
        for (Element child : children(e)) {
          target = child.getTextContent().strip();
        }
        yield new Dial(target, attr(e, "action", null), intAttr(e, "timeout", 30));
      }
      case "Connect" -> {
        List<Element> inner = children(e);
        if (inner.size() != 1 || !inner.getFirst().getTagName().equals("Stream")) {
          yield new Unsupported(
              "Connect/" + (inner.isEmpty() ? "" : inner.getFirst().getTagName()));
        }
        Element stream = inner.getFirst();
        Map<String, String> params = new LinkedHashMap<>();
        for (Element p : children(stream)) {
          if (p.getTagName().equals("Parameter")) {
            params.put(p.getAttribute("name"), p.getAttribute("value"));
          }
        }
        yield new ConnectStream(
            stream.getAttribute("url"),
            attr(stream, "name", null),
            params,
            attr(stream, "statusCallback", null),
            attr(e, "action", null),
            attr(e, "method", "POST"));
      }
      default -> new Unsupported(e.getTagName());
    };
  }

  private static List<Element> children(Element parent) {
    List<Element> out = new ArrayList<>();
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element child) {
        out.add(child);
      }
    }
    return out;
  }

  private static String attr(Element e, String name, String fallback) {
    return e.hasAttribute(name) ? e.getAttribute(name) : fallback;
  }

  private static int intAttr(Element e, String name, int fallback) {
    return e.hasAttribute(name) ? Integer.parseInt(e.getAttribute(name).strip()) : fallback;
  }
}
