package io.parley.providers;

import java.net.URI;

/**
 * A provider as operators may see it: never with its key.
 *
 * @param id the id agents refer to ({@code xai}, {@code deepgram}, ...)
 * @param kind what it does
 * @param baseUrl where it is reached
 * @param configured true when the credentials it needs are present
 */
public record ProviderInfo(String id, ProviderKind kind, URI baseUrl, boolean configured) {}
