package io.parley.webhooks;

import java.util.List;

/**
 * An endpoint as an administrator registers or replaces it.
 *
 * @param url an {@code https://} URL whose host resolves to public addresses only
 * @param eventTypes what it receives: event types ({@code call.ended}) or {@code campaign.*}
 * @param description optional, up to 200 characters
 * @param enabled on replacement: false disables it, true enables it again (and clears its failure
 *     streak); omitted leaves it as it is. New endpoints start enabled.
 */
record EndpointRequest(String url, List<String> eventTypes, String description, Boolean enabled) {}
