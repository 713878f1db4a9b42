package io.parley.sim;

import io.parley.sim.audio.EmissionLog;
import io.parley.sim.caller.CallerScript;
import io.parley.sim.caller.MediaStreamCaller;
import io.parley.sim.deepgram.DeepgramSim;
import io.parley.sim.elevenlabs.ElevenLabsSim;
import io.parley.sim.http.ConnectionStats;
import io.parley.sim.http.Hosting;
import io.parley.sim.llm.LlmSim;
import io.parley.sim.twilio.SimCall;
import io.parley.sim.twilio.SimMessage;
import io.parley.sim.twilio.TwilioSim;
import java.net.URI;
import java.util.function.UnaryOperator;

/**
 * The embedding API: starts every simulator on its own port and hands out their URLs, the faults
 * switchboard and the simulators themselves for inspection.
 *
 * <pre>{@code
 * try (Sim sim = Sim.start(SimConfig.defaults())) {
 *   env.put("PARLEY_LLM_GROK_BASE_URL", sim.llmBaseUrl().toString());
 * }
 * }</pre>
 */
public final class Sim implements AutoCloseable {
  private final SimConfig config;
  private final Faults faults = new Faults();
  private final EmissionLog emissions = new EmissionLog();
  private final Timeline timeline;
  private final Hosting hosting;
  private final MediaStreamCaller caller;
  private final LlmSim llm;
  private final TwilioSim twilio;
  private final DeepgramSim deepgram;
  private final ElevenLabsSim elevenLabs;

  private Sim(SimConfig config) {
    this.config = config;
    this.timeline = new Timeline(config.clock());
    this.hosting = new Hosting(config.host(), config.http(), new ConnectionStats());
    this.caller = new MediaStreamCaller(emissions, timeline, config.clock());
    this.llm = new LlmSim(config.llm(), faults, config.clock(), hosting, timeline);
    this.twilio = new TwilioSim(config.twilio(), faults, config.clock(), caller, hosting);
    this.deepgram =
        new DeepgramSim(config.deepgram(), faults, config.clock(), emissions, hosting, timeline);
    this.elevenLabs =
        new ElevenLabsSim(
            config.elevenLabs(), faults, config.clock(), emissions, hosting, timeline);
  }

  public static Sim start(SimConfig config) {
    return new Sim(config);
  }

  /** The OpenAI-compatible base URL, ending in {@code /v1} (PARLEY_LLM_&lt;ID&gt;_BASE_URL). */
  public URI llmBaseUrl() {
    return llm.baseUrl();
  }

  /** The Twilio REST base (PARLEY_TWILIO_API_URL); paths start with {@code /2010-04-01}. */
  public URI twilioApiUrl() {
    return twilio.apiUrl();
  }

  /** One of the carrier's phone numbers, to set where its inbound calls go. */
  public NumberHandle number(String e164) {
    return new NumberHandle(e164);
  }

  /** Where inbound calls to a number go. */
  public final class NumberHandle {
    private final String e164;

    private NumberHandle(String e164) {
      this.e164 = e164;
    }

    /** Sets the number's voice URL (the webhook Twilio requests for an inbound call). */
    public NumberHandle voiceUrl(String url) {
      twilio.voiceUrl(e164, url);
      return this;
    }

    /** Sets the number's SMS URL (the webhook Twilio POSTs for an inbound text message). */
    public NumberHandle smsUrl(String url) {
      twilio.smsUrl(e164, url);
      return this;
    }
  }

  /**
   * A phone texts one of the numbers: the carrier POSTs the signed SMS webhook to the number's SMS
   * URL and sends the app's TwiML {@code <Message>} replies. Returns once the app has answered.
   */
  public SimMessage sendSms(String from, String to, String body) {
    return twilio.receiveSms(from, to, body);
  }

  /**
   * Places an inbound call: the carrier POSTs the signed voice webhook to the number's voice URL
   * and executes the TwiML; the caller follows the script once a stream is connected.
   */
  public CallHandle placeCall(String from, String to, CallerScript script) {
    return handle(twilio.placeCall(from, to, script));
  }

  /** A call the carrier knows (inbound or placed by the app through the REST API), or null. */
  public CallHandle call(String callSid) {
    SimCall call = twilio.call(callSid);
    return call == null ? null : handle(call);
  }

  private CallHandle handle(SimCall call) {
    return new CallHandle(call, caller.media(call.sid()), config.clock());
  }

  /**
   * Sends media stream sockets elsewhere than their {@code <Stream url>}, as a load balancer in
   * front of several app nodes does: {@code route} maps the TwiML's URL to the one connected to
   * (keep the path and query: they carry the stream). Applies to streams that start afterwards.
   */
  public void routeMediaStreams(UnaryOperator<URI> route) {
    caller.routeStreams(route);
  }

  /** The Deepgram base URL (PARLEY_DEEPGRAM_URL): ws(s) for /v1/listen, http(s) for /v1/speak. */
  public URI deepgramUrl() {
    return deepgram.url();
  }

  /** The ElevenLabs base URL (PARLEY_ELEVENLABS_URL): ws(s) for stream-input, http(s) for REST. */
  public URI elevenLabsUrl() {
    return elevenLabs.url();
  }

  public ElevenLabsSim elevenLabs() {
    return elevenLabs;
  }

  public DeepgramSim deepgram() {
    return deepgram;
  }

  public TwilioSim twilio() {
    return twilio;
  }

  /** Every TTS request's audio, for mapping heard audio back to text. */
  public EmissionLog emissions() {
    return emissions;
  }

  public LlmSim llm() {
    return llm;
  }

  /** Fine-grained moments for benchmarks; off until {@code timeline().record(true)}. */
  public Timeline timeline() {
    return timeline;
  }

  /**
   * What the simulators' HTTP servers did with connections: idle keep-alive connections closed,
   * requests that arrived on a connection already closed (each one a request a real server would
   * have lost), h2c upgrade offers refused.
   */
  public ConnectionStats connections() {
    return hosting.stats();
  }

  /** Where the simulators listen and how their servers treat connections. */
  public Hosting hosting() {
    return hosting;
  }

  /** Faults armed at runtime, per simulator and per call. */
  public Faults faults() {
    return faults;
  }

  public SimConfig config() {
    return config;
  }

  @Override
  public void close() {
    twilio.close();
    deepgram.close();
    elevenLabs.close();
    llm.close();
    caller.close();
  }
}
