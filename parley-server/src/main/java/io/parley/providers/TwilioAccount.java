package io.parley.providers;

import java.net.URI;

/**
 * The Twilio account calls are placed and answered with.
 *
 * @param accountSid the account id (not a secret, but not shown in the API either)
 * @param authToken the auth token (masked in {@code toString} and JSON)
 * @param apiUrl the REST API base URL
 */
public record TwilioAccount(String accountSid, ApiKey authToken, URI apiUrl) {}
