package io.parley.providers;

import java.net.URI;

/**
 * What a client needs to call a configured provider.
 *
 * @param id the provider id
 * @param kind what it does
 * @param baseUrl where to send requests
 * @param apiKey the credential (masked in {@code toString} and JSON)
 */
public record ProviderEndpoint(String id, ProviderKind kind, URI baseUrl, ApiKey apiKey) {}
