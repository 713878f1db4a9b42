/**
 * Language models behind one small interface: {@link io.parley.llm.LanguageModel} streams a chat
 * completion as {@link io.parley.llm.LlmEvent}s, and {@link io.parley.llm.SpeakableChunker} cuts
 * the streamed text into pieces a voice can say. The only adapter speaks the OpenAI-compatible chat
 * completions protocol (xAI, OpenAI, local hosts) through openai-java; providers and keys come from
 * the {@code providers} module.
 */
@ApplicationModule(allowedDependencies = {"shared", "providers"})
package io.parley.llm;

import org.springframework.modulith.ApplicationModule;
