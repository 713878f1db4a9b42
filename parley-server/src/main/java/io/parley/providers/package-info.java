/**
 * The outside services Parley talks to (LLM hosts, Deepgram, ElevenLabs, Twilio), configured only
 * through environment variables. Other features ask which provider ids exist and, when they need to
 * call one, get its base URL and key from here; keys are never shown or logged.
 */
@ApplicationModule(allowedDependencies = "shared")
package io.parley.providers;

import org.springframework.modulith.ApplicationModule;
