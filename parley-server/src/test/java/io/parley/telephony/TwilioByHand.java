package io.parley.telephony;

import io.parley.sim.http.Params;
import io.parley.sim.twilio.TwilioSignature;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Plays Twilio by hand against a running Parley: voice webhooks signed as Twilio signs them, the
 * TwiML read back, and a Media Streams socket driven message by message with the JDK client, so a
 * test can send what real Twilio would never send.
 */
final class TwilioByHand {

  static final String ACCOUNT_SID = "AC" + "0".repeat(31) + "1";

  private final String signedBase;
  private final String requestBase;
  private final String authToken;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /**
   * @param signedBase the base URL Twilio believes it calls (what Parley checks signatures with)
   * @param requestBase where the requests actually go
   */
  TwilioByHand(String signedBase, String requestBase, String authToken) {
    this.signedBase = signedBase;
    this.requestBase = requestBase;
    this.authToken = authToken;
  }

  /** The form Twilio posts to a number's voice URL when someone calls it. */
  static Map<String, String> inbound(String callSid, String from, String to) {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("CallSid", callSid);
    params.put("AccountSid", ACCOUNT_SID);
    params.put("From", from);
    params.put("To", to);
    params.put("CallStatus", "ringing");
    params.put("Direction", "inbound");
    params.put("ApiVersion", "2010-04-01");
    return params;
  }

  static String callSid() {
    return "CA" + java.util.UUID.randomUUID().toString().replace("-", "");
  }

  String sign(String path, Map<String, String> params) {
    return TwilioSignature.sign(authToken, signedBase + path, Params.of(params));
  }

  /** A correctly signed POST. */
  HttpResponse<String> post(String path, Map<String, String> params) throws Exception {
    return post(path, params, sign(path, params));
  }

  /** A POST with this signature header, or none when null. */
  HttpResponse<String> post(String path, Map<String, String> params, String signature)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(requestBase + path))
            .timeout(Duration.ofSeconds(15))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(Params.of(params).encode()));
    if (signature != null) {
      request.header("X-Twilio-Signature", signature);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** What a voice webhook answered, read as Twilio reads TwiML. */
  record Answer(
      String say,
      boolean hangUp,
      String connectAction,
      URI streamUrl,
      Map<String, String> parameters) {

    boolean connects() {
      return streamUrl != null;
    }

    String token() {
      return parameters.get("token");
    }
  }

  static Answer read(String twiml) throws Exception {
    Document doc =
        DocumentBuilderFactory.newInstance()
            .newDocumentBuilder()
            .parse(new ByteArrayInputStream(twiml.getBytes(StandardCharsets.UTF_8)));
    Element response = doc.getDocumentElement();
    if (!response.getTagName().equals("Response")) {
      throw new IllegalArgumentException("not TwiML: " + twiml);
    }
    NodeList says = response.getElementsByTagName("Say");
    String say = says.getLength() == 0 ? null : says.item(0).getTextContent();
    boolean hangUp = response.getElementsByTagName("Hangup").getLength() > 0;
    NodeList connects = response.getElementsByTagName("Connect");
    String action = null;
    URI stream = null;
    Map<String, String> parameters = new LinkedHashMap<>();
    if (connects.getLength() > 0) {
      Element connect = (Element) connects.item(0);
      action = connect.getAttribute("action");
      Element streamElement = (Element) connect.getElementsByTagName("Stream").item(0);
      stream = URI.create(streamElement.getAttribute("url"));
      NodeList params = streamElement.getElementsByTagName("Parameter");
      for (int i = 0; i < params.getLength(); i++) {
        Element p = (Element) params.item(i);
        parameters.put(p.getAttribute("name"), p.getAttribute("value"));
      }
    }
    return new Answer(say, hangUp, action, stream, parameters);
  }

  /** Opens a media socket as Twilio does (no Origin, no credentials). */
  MediaSocket open(URI streamUrl) {
    MediaSocket socket = new MediaSocket();
    socket.ws =
        http.newWebSocketBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .buildAsync(streamUrl, socket)
            .orTimeout(10, TimeUnit.SECONDS)
            .join();
    return socket;
  }

  /** How the server closed a socket. */
  record Closed(int code, String reason) {}

  /** One media socket: what Twilio would send, and everything the server sent back. */
  static final class MediaSocket implements WebSocket.Listener {
    private WebSocket ws;
    private final StringBuilder partial = new StringBuilder();
    final BlockingQueue<String> received = new LinkedBlockingQueue<>();
    final CompletableFuture<Closed> closed = new CompletableFuture<>();
    private int sequence;

    synchronized void send(String text) {
      ws.sendText(text, true).orTimeout(5, TimeUnit.SECONDS).join();
    }

    synchronized void sendBinary(byte[] bytes) {
      ws.sendBinary(java.nio.ByteBuffer.wrap(bytes), true).orTimeout(5, TimeUnit.SECONDS).join();
    }

    void connected() {
      send("{\"event\":\"connected\",\"protocol\":\"Call\",\"version\":\"1.0.0\"}");
    }

    /** The {@code start} message; a null token leaves the parameter out. */
    void start(String streamSid, String callSid, Map<String, String> customParameters) {
      StringBuilder params = new StringBuilder("{");
      customParameters.forEach(
          (name, value) -> {
            if (params.length() > 1) {
              params.append(',');
            }
            params.append('"').append(name).append("\":\"").append(value).append('"');
          });
      params.append('}');
      send(
          """
          {"event":"start","sequenceNumber":"%d","streamSid":"%s",
           "start":{"streamSid":"%s","accountSid":"%s","callSid":"%s",
                    "tracks":["inbound"],"customParameters":%s,
                    "mediaFormat":{"encoding":"audio/x-mulaw","sampleRate":8000,"channels":1}}}
          """
              .formatted(++sequence, streamSid, streamSid, ACCOUNT_SID, callSid, params));
    }

    /** One 20 ms frame of μ-law silence (0xFF), as Twilio sends fifty times a second. */
    void media(String streamSid, int chunk) {
      byte[] silence = new byte[160];
      java.util.Arrays.fill(silence, (byte) 0xFF);
      send(
          """
          {"event":"media","sequenceNumber":"%d","streamSid":"%s",
           "media":{"track":"inbound","chunk":"%d","timestamp":"%d","payload":"%s"}}
          """
              .formatted(
                  ++sequence,
                  streamSid,
                  chunk,
                  (chunk - 1) * 20,
                  Base64.getEncoder().encodeToString(silence)));
    }

    void mark(String streamSid, String name) {
      send(
          """
          {"event":"mark","sequenceNumber":"%d","streamSid":"%s","mark":{"name":"%s"}}
          """
              .formatted(++sequence, streamSid, name));
    }

    void stop(String streamSid, String callSid) {
      send(
          """
          {"event":"stop","sequenceNumber":"%d","streamSid":"%s",
           "stop":{"accountSid":"%s","callSid":"%s"}}
          """
              .formatted(++sequence, streamSid, ACCOUNT_SID, callSid));
    }

    /** The next message the server sent whose event is {@code event}, within the timeout. */
    String next(String event, Duration timeout) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (true) {
        String message = received.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
        if (message == null) {
          return null;
        }
        if (message.contains("\"event\":\"" + event + "\"")) {
          return message;
        }
      }
    }

    /** How the server closed the socket, waiting up to the timeout. */
    Closed awaitClose(Duration timeout) throws Exception {
      try {
        return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        return null;
      }
    }

    boolean isOpen() {
      return !closed.isDone() && !ws.isInputClosed();
    }

    /** Hangs up from Twilio's side: a normal close, without {@code stop}. */
    void close() {
      if (!ws.isOutputClosed()) {
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "").orTimeout(5, TimeUnit.SECONDS).join();
      }
    }

    /** Drops the connection without any close handshake. */
    void abort() {
      ws.abort();
    }

    @Override
    public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        received.add(partial.toString());
        partial.setLength(0);
      }
      socket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket socket, int statusCode, String reason) {
      closed.complete(new Closed(statusCode, reason));
      return null;
    }

    @Override
    public void onError(WebSocket socket, Throwable error) {
      closed.complete(new Closed(-1, error.toString()));
    }
  }
}
