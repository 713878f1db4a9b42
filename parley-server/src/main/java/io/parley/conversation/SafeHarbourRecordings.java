package io.parley.conversation;

import io.netty.channel.EventLoop;
import io.parley.tts.TextToSpeech;
import io.parley.tts.TtsEvent;
import io.parley.tts.TtsSession;
import io.parley.tts.VoiceSpec;
import java.io.ByteArrayOutputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Campaigns' safe-harbour messages, recorded once per node in the agent's voice and kept in memory,
 * so a drop hears its message at once: speaking it live would start only after the voice's own
 * first-audio delay, which is what made the agent late in the first place. A call asks for its
 * message when it starts ({@link #prepare}); the first call of a campaign on a node records it
 * while its callee says hello, later calls find it ready.
 *
 * <p>Thread-safe: calls on many loops share it. A recording that fails is forgotten, so the next
 * call tries again; a call whose message is not ready speaks it live instead.
 */
final class SafeHarbourRecordings {

  private static final Logger log = LoggerFactory.getLogger(SafeHarbourRecordings.class);

  /** Messages kept: a few per running campaign is plenty; the oldest unused goes first. */
  static final int CAPACITY = 64;

  /** A recording that has not finished by then is given up (its session closed). */
  static final long GIVE_UP_SECONDS = 30;

  /** Longest message kept: 60 s of μ-law (the message text is at most 500 characters). */
  static final int MAX_BYTES = 60 * 8000;

  private record Key(VoiceSpec voice, String text) {}

  private final TextToSpeech textToSpeech;
  private final Object lock = new Object();
  // guarded by lock; a null value is a recording in progress
  private final Map<Key, byte[]> recordings =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, byte[]> eldest) {
          return size() > CAPACITY;
        }
      };

  SafeHarbourRecordings(TextToSpeech textToSpeech) {
    this.textToSpeech = textToSpeech;
  }

  /** The message's audio (μ-law 8 kHz) when it has been recorded. */
  Optional<byte[]> ready(VoiceSpec voice, String text) {
    synchronized (lock) {
      return Optional.ofNullable(recordings.get(new Key(voice, text)));
    }
  }

  /** Starts recording the message on {@code loop} unless it is recorded or being recorded. */
  void prepare(VoiceSpec voice, String text, EventLoop loop) {
    Key key = new Key(voice, text);
    synchronized (lock) {
      if (recordings.containsKey(key)) {
        return;
      }
      recordings.put(key, null);
    }
    new Recording(key, loop).start();
  }

  private void done(Key key, byte[] audio) {
    synchronized (lock) {
      if (audio == null) {
        recordings.remove(key);
      } else {
        recordings.put(key, audio);
      }
    }
  }

  /** One message being recorded; everything runs on its loop. */
  private final class Recording {
    private final Key key;
    private final EventLoop loop;
    private final ByteArrayOutputStream audio = new ByteArrayOutputStream();
    private TtsSession session;
    private boolean finished;

    Recording(Key key, EventLoop loop) {
      this.key = key;
      this.loop = loop;
    }

    void start() {
      loop.execute(
          () -> {
            try {
              session = textToSpeech.open(key.voice(), this::on, loop);
              session.append(key.text());
              session.flush();
              loop.schedule(
                  () -> finish(null, "no audio in time"), GIVE_UP_SECONDS, TimeUnit.SECONDS);
            } catch (RuntimeException e) {
              finish(null, e.toString());
            }
          });
    }

    private void on(TtsEvent event) {
      switch (event) {
        case TtsEvent.Audio a -> {
          if (audio.size() + a.mulaw().length > MAX_BYTES) {
            finish(null, "the message is longer than " + MAX_BYTES / 8000 + " s");
          } else {
            audio.writeBytes(a.mulaw());
          }
        }
        case TtsEvent.Done d ->
            finish(audio.size() == 0 ? null : audio.toByteArray(), "the voice gave no audio");
        case TtsEvent.Failed f -> finish(null, f.reason());
      }
    }

    private void finish(byte[] recorded, String failure) {
      if (finished) {
        return;
      }
      finished = true;
      if (recorded == null) {
        log.warn("The safe-harbour message could not be recorded: {}", failure);
      }
      done(key, recorded);
      if (session != null) {
        session.close();
      }
    }
  }
}
