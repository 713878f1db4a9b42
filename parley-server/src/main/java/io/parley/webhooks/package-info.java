/**
 * Outbound webhooks: administrators register HTTPS endpoints for event types; events are written to
 * an outbox in the transaction that recorded the fact ({@link io.parley.webhooks.WebhookOutbox},
 * fed by {@link io.parley.calls.CallEvent}, {@link io.parley.campaigns.CampaignEvent} and {@link
 * io.parley.sms.MessageEvent}), delivered by jobs with a signature, retried with backoff for 24
 * hours, every attempt logged. Targets are checked against private, loopback, link-local and
 * metadata addresses when an endpoint is saved and again at every delivery; see docs/webhooks.md.
 */
@ApplicationModule(
    allowedDependencies = {"shared", "auth", "calls", "campaigns", "sms", "jobs", "database"})
package io.parley.webhooks;

import org.springframework.modulith.ApplicationModule;
