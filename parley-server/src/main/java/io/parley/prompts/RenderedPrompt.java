package io.parley.prompts;

import java.util.UUID;

/**
 * A prompt version filled in with one lead's data. The text never contains {@code {{}.
 *
 * @param promptId the prompt rendered
 * @param version the version number used (a call stores it so later edits never change it)
 * @param text the finished text
 * @param timeZone the IANA zone {@code {{now}}} and {@code {{today}}} were computed in
 * @param timeZoneSource where that zone came from: {@code request}, {@code callee_phone},
 *     {@code agent} or {@code default} (UTC)
 */
public record RenderedPrompt(
    UUID promptId, int version, String text, String timeZone, String timeZoneSource) {}
