package io.parley.providers;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Every provider Parley knows, read once at start-up from the environment. The variable names are
 * the contract (see docs/providers.md): {@code PARLEY_LLM_<ID>_BASE_URL} / {@code _API_KEY} for any
 * number of OpenAI-compatible LLM hosts (id {@code xai} always exists), and fixed names for
 * Deepgram, ElevenLabs and Twilio. A provider is <em>known</em> when agents may name it and
 * <em>configured</em> when its credentials are present.
 */
@Component
public class ProviderRegistry {

  public static final String DEFAULT_LLM = "xai";
  public static final String DEEPGRAM = "deepgram";
  public static final String ELEVENLABS = "elevenlabs";
  public static final String TWILIO = "twilio";

  private static final Logger log = LoggerFactory.getLogger(ProviderRegistry.class);

  // Reluctant id so that ids with underscores (PARLEY_LLM_MY_HOST_BASE_URL) still split right.
  private static final Pattern LLM_VARIABLE =
      Pattern.compile("PARLEY_LLM_([A-Z0-9]+(?:_[A-Z0-9]+)*?)_(BASE_URL|API_KEY)");

  private static final Map<String, String> DEFAULT_LLM_URLS =
      Map.of(DEFAULT_LLM, "https://api.x.ai/v1");

  private final List<Entry> entries;
  private final TwilioAccount twilio;

  ProviderRegistry(Environment environment) {
    List<Entry> found = new ArrayList<>();
    for (String id : llmIds(environment)) {
      String variable = "PARLEY_LLM_" + id.toUpperCase(Locale.ROOT);
      found.add(
          entry(
              environment,
              ProviderKind.LLM,
              id,
              variable + "_BASE_URL",
              DEFAULT_LLM_URLS.get(id),
              variable + "_API_KEY"));
    }
    found.add(
        entry(
            environment,
            ProviderKind.STT,
            DEEPGRAM,
            "PARLEY_DEEPGRAM_URL",
            "https://api.deepgram.com",
            "PARLEY_DEEPGRAM_API_KEY"));
    found.add(
        entry(
            environment,
            ProviderKind.TTS,
            DEEPGRAM,
            "PARLEY_DEEPGRAM_URL",
            "https://api.deepgram.com",
            "PARLEY_DEEPGRAM_API_KEY"));
    found.add(
        entry(
            environment,
            ProviderKind.TTS,
            ELEVENLABS,
            "PARLEY_ELEVENLABS_URL",
            "https://api.elevenlabs.io",
            "PARLEY_ELEVENLABS_API_KEY"));
    URI twilioUrl = url(environment, "PARLEY_TWILIO_API_URL", "https://api.twilio.com");
    String sid = value(environment, "PARLEY_TWILIO_ACCOUNT_SID");
    String token = value(environment, "PARLEY_TWILIO_AUTH_TOKEN");
    this.twilio =
        sid != null && token != null ? new TwilioAccount(sid, new ApiKey(token), twilioUrl) : null;
    found.add(
        new Entry(
            new ProviderInfo(TWILIO, ProviderKind.TELEPHONY, twilioUrl, twilio != null), null));
    this.entries = List.copyOf(found);
    log.info(
        "Providers: {}",
        entries.stream()
            .map(
                e ->
                    e.info().kind()
                        + ":"
                        + e.info().id()
                        + (e.info().configured() ? "" : " (no key)"))
            .collect(Collectors.joining(", ")));
  }

  /** Every known provider, LLMs first, without credentials. */
  public List<ProviderInfo> list() {
    return entries.stream().map(Entry::info).toList();
  }

  /** True when agents may name this provider id for this kind of work. */
  public boolean isKnown(ProviderKind kind, String id) {
    return find(kind, id).isPresent();
  }

  /** True when the provider is known and its credentials are present. */
  public boolean isConfigured(ProviderKind kind, String id) {
    return find(kind, id).map(e -> e.info().configured()).orElse(false);
  }

  /** The known ids of a kind, sorted, for error messages. */
  public List<String> ids(ProviderKind kind) {
    return entries.stream()
        .filter(e -> e.info().kind() == kind)
        .map(e -> e.info().id())
        .sorted()
        .toList();
  }

  /** How to call a configured provider; empty when it is unknown or has no key. */
  public Optional<ProviderEndpoint> endpoint(ProviderKind kind, String id) {
    return find(kind, id)
        .filter(e -> e.key() != null)
        .map(e -> new ProviderEndpoint(e.info().id(), kind, e.info().baseUrl(), e.key()));
  }

  /** How to call a configured LLM host. */
  public Optional<ProviderEndpoint> llm(String id) {
    return endpoint(ProviderKind.LLM, id);
  }

  /** The Twilio account, when both the account sid and the auth token are set. */
  public Optional<TwilioAccount> twilio() {
    return Optional.ofNullable(twilio);
  }

  private Optional<Entry> find(ProviderKind kind, String id) {
    if (kind == null || id == null) {
      return Optional.empty();
    }
    return entries.stream()
        .filter(e -> e.info().kind() == kind && e.info().id().equals(id))
        .findFirst();
  }

  private static TreeSet<String> llmIds(Environment environment) {
    TreeSet<String> ids = new TreeSet<>(DEFAULT_LLM_URLS.keySet());
    if (environment instanceof ConfigurableEnvironment configurable) {
      for (var source : configurable.getPropertySources()) {
        if (source instanceof EnumerablePropertySource<?> enumerable) {
          for (String name : enumerable.getPropertyNames()) {
            Matcher matcher = LLM_VARIABLE.matcher(name);
            if (matcher.matches() && value(environment, name) != null) {
              ids.add(matcher.group(1).toLowerCase(Locale.ROOT));
            }
          }
        }
      }
    }
    return ids;
  }

  private static Entry entry(
      Environment environment,
      ProviderKind kind,
      String id,
      String urlVariable,
      String defaultUrl,
      String keyVariable) {
    if (defaultUrl == null && value(environment, urlVariable) == null) {
      throw new IllegalStateException(
          keyVariable
              + " is set but "
              + urlVariable
              + " is not: say where provider '"
              + id
              + "' lives");
    }
    URI baseUrl = url(environment, urlVariable, defaultUrl);
    String key = value(environment, keyVariable);
    ApiKey apiKey = key == null ? null : new ApiKey(key);
    return new Entry(new ProviderInfo(id, kind, baseUrl, apiKey != null), apiKey);
  }

  private static URI url(Environment environment, String variable, String defaultUrl) {
    String text = value(environment, variable);
    if (text == null) {
      text = defaultUrl;
    }
    while (text.endsWith("/")) {
      text = text.substring(0, text.length() - 1);
    }
    try {
      URI uri = new URI(text);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
        throw new URISyntaxException(text, "not an http(s) URL with a host");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new IllegalStateException(variable + " is not an http(s) URL: " + e.getMessage(), e);
    }
  }

  private static String value(Environment environment, String variable) {
    String value = environment.getProperty(variable);
    return value == null || value.isBlank() ? null : value.strip();
  }

  private record Entry(ProviderInfo info, ApiKey key) {}
}
