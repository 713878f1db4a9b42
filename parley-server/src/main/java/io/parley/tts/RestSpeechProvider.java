package io.parley.tts;

import io.netty.channel.EventLoop;
import io.parley.providers.OutboundHttp;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A provider that speaks each stretch of text with one streaming HTTP request. Text is cut into
 * segments at a flush, or once enough is buffered at a sentence (or word) end, so speech starts
 * before a long answer is complete; segments are requested one after another on the attempt's own
 * virtual thread, and audio is passed on as the body streams in.
 */
abstract class RestSpeechProvider implements SpeechProvider {
  /** As ElevenLabs' first schedule step: enough text for natural prosody. */
  static final int SEGMENT_CHARS = 120;

  /** Aura takes at most 2000 characters per request; ElevenLabs more. */
  static final int MAX_SEGMENT_CHARS = 2000;

  private static final Pattern SENTENCE_END = Pattern.compile("[.!?;:](\\s+)");
  private static final Object FINISHED = new Object();

  private final HttpClient http;
  private final TtsProperties properties;
  private final OutboundHttp outbound;

  RestSpeechProvider(HttpClient http, TtsProperties properties, OutboundHttp outbound) {
    this.http = http;
    this.properties = properties;
    this.outbound = outbound;
  }

  /** The request that speaks {@code text} as raw μ-law 8 kHz. */
  abstract HttpRequest.Builder request(VoiceSpec.Voice voice, String languageCode, String text);

  /** Reads a provider's error body into a short reason and whether to retry. */
  abstract String errorCode(String body);

  @Override
  public Channel open(VoiceSpec.Voice voice, String languageCode, EventLoop loop) {
    return new Channel() {
      @Override
      public Attempt start(Sink sink) {
        return new RestAttempt(voice, languageCode, sink, loop);
      }

      @Override
      public void close() {}
    };
  }

  /** Where to cut buffered text: after the last sentence end, else the last blank; 0 for none. */
  static int cut(CharSequence text) {
    int limit = Math.min(text.length(), MAX_SEGMENT_CHARS);
    CharSequence head = text.subSequence(0, limit);
    int at = 0;
    Matcher m = SENTENCE_END.matcher(head);
    while (m.find()) {
      at = m.end();
    }
    if (at == 0) {
      for (int i = limit - 1; i > 0; i--) {
        if (Character.isWhitespace(head.charAt(i))) {
          at = i + 1;
          break;
        }
      }
    }
    return at == 0 && text.length() >= MAX_SEGMENT_CHARS ? MAX_SEGMENT_CHARS : at;
  }

  /**
   * One attempt: {@link #append}, {@link #finish} and {@link #abort} run on the loop and only queue
   * or signal; the worker (a virtual thread) blocks on the network and posts each report to the
   * loop, where the sink is called.
   */
  private final class RestAttempt implements Attempt {
    private final VoiceSpec.Voice voice;
    private final String languageCode;
    private final Sink sink;
    private final EventLoop loop;
    private final StringBuilder buffer = new StringBuilder();
    private final LinkedBlockingQueue<Object> segments = new LinkedBlockingQueue<>();
    private final Thread worker;
    private volatile boolean aborted;
    private volatile InputStream body;

    RestAttempt(VoiceSpec.Voice voice, String languageCode, Sink sink, EventLoop loop) {
      this.voice = voice;
      this.languageCode = languageCode;
      this.sink = sink;
      this.loop = loop;
      this.worker = Thread.ofVirtual().name("tts-" + name()).start(this::run);
    }

    @Override
    public void append(String text) {
      buffer.append(text);
      while (buffer.length() >= SEGMENT_CHARS) {
        int at = cut(buffer);
        if (at == 0) {
          return;
        }
        segments.add(buffer.substring(0, at));
        buffer.delete(0, at);
      }
    }

    @Override
    public void finish() {
      while (!buffer.isEmpty()) {
        int at = buffer.length() > MAX_SEGMENT_CHARS ? cut(buffer) : buffer.length();
        segments.add(buffer.substring(0, at));
        buffer.delete(0, at);
      }
      segments.add(FINISHED);
    }

    @Override
    public void abort() {
      aborted = true;
      worker.interrupt();
      InputStream in = body;
      if (in != null) {
        // cancelling the download touches the HTTP client's connection: not on the loop
        Thread.ofVirtual().name("tts-abort").start(() -> closeQuietly(in));
      }
    }

    private static void closeQuietly(InputStream in) {
      try {
        in.close();
      } catch (IOException ignored) {
        // closing only stops the download
      }
    }

    private void run() {
      int spoken = 0;
      try {
        while (!aborted) {
          Object next = segments.take();
          if (next == FINISHED) {
            post(sink::done);
            return;
          }
          String text = (String) next;
          if (!text.isBlank() && !speak(text)) {
            return;
          }
          spoken += text.length();
          int chars = spoken;
          post(() -> sink.spoken(chars));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    /** Streams one segment's audio to the sink; false after reporting a failure. */
    private boolean speak(String text) throws InterruptedException {
      HttpRequest request =
          request(voice, languageCode, text.strip()).timeout(properties.stallTimeout()).build();
      HttpResponse<InputStream> response;
      try {
        response = send(request);
      } catch (IOException e) {
        return failed(true, name() + ": " + ProviderErrors.describe(e));
      }
      try (InputStream in = response.body()) {
        body = in;
        if (aborted) {
          return false;
        }
        int status = response.statusCode();
        if (status / 100 != 2) {
          String error = new String(in.readNBytes(4096), StandardCharsets.UTF_8);
          String code = errorCode(error);
          return failed(
              ProviderErrors.retriable(status) && ProviderErrors.retriable(code),
              name() + " answered HTTP " + status + (code == null ? "" : " " + code));
        }
        WavGuard guard = new WavGuard();
        byte[] chunk = new byte[1600];
        int n;
        while ((n = in.read(chunk)) > 0) {
          byte[] audio = guard.accept(Arrays.copyOf(chunk, n));
          if (audio.length > 0 && !aborted) {
            post(() -> sink.audio(audio, TtsEvent.Alignment.NONE));
          }
        }
        byte[] rest = guard.finish();
        if (rest.length > 0 && !aborted) {
          post(() -> sink.audio(rest, TtsEvent.Alignment.NONE));
        }
        return !aborted;
      } catch (WavGuard.RefusedAudio e) {
        return failed(false, name() + " sent audio Parley cannot play: " + e.getMessage());
      } catch (IOException e) {
        return failed(true, name() + " stream cut: " + ProviderErrors.describe(e));
      } finally {
        body = null;
      }
    }

    /**
     * Sends one synthesis request. A request that failed before any answer, on what may have been a
     * pooled connection the provider had closed, is sent once more at once: synthesis has no side
     * effect, and this is not the provider failing.
     */
    private HttpResponse<InputStream> send(HttpRequest request)
        throws IOException, InterruptedException {
      try {
        return http.send(request, HttpResponse.BodyHandlers.ofInputStream());
      } catch (IOException e) {
        if (aborted || !OutboundHttp.mayBeStaleConnection(e)) {
          throw e;
        }
        outbound.staleResend("tts:" + name());
        return http.send(request, HttpResponse.BodyHandlers.ofInputStream());
      }
    }

    private boolean failed(boolean retriable, String reason) {
      if (!aborted) {
        post(() -> sink.failed(retriable, reason));
      }
      return false;
    }

    /** Hands a report to the loop; dropped once the attempt is aborted (or the loop is gone). */
    private void post(Runnable report) {
      try {
        loop.execute(
            () -> {
              if (!aborted) {
                report.run();
              }
            });
      } catch (RejectedExecutionException shutDown) {
        aborted = true;
      }
    }
  }
}
