/**
 * Speech to text behind one small interface: {@link io.parley.stt.SpeechToText} opens a live {@link
 * io.parley.stt.SttSession} for a call's caller audio and reports {@link io.parley.stt.SttEvent}s.
 * The only adapter speaks Deepgram's live {@code /v1/listen} WebSocket, a {@code media}
 * ProviderSocket on the call's event loop; its base URL and key come from the {@code providers}
 * module.
 */
@ApplicationModule(allowedDependencies = {"shared", "providers", "media"})
package io.parley.stt;

import org.springframework.modulith.ApplicationModule;
