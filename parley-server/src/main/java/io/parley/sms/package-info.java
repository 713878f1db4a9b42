/**
 * Text messages: {@code POST /api/messages} sends one from an agent's number after the compliance
 * gate ({@link io.parley.compliance.ComplianceGate#checkText}: do-not-call, quiet hours in the
 * recipient's zone), Twilio's status callbacks move it along, inbound texts are stored and their
 * keywords honoured (opt-out words put the sender on the company do-not-call list, START takes an
 * SMS opt-out off it, HELP is answered), and {@code GET /api/messages} and {@code GET
 * /api/conversations/{number}} read them back. Twilio is reached through {@link
 * io.parley.sms.TextCarrier} and the webhooks arrive through {@link io.parley.sms.TextWebhooks}:
 * telephony implements the one and calls the other, so this module never depends on telephony.
 * Facts leave as {@link io.parley.sms.MessageEvent}s. The conversation view reads the {@code
 * call_record} table as a read model (its columns, not the calls module's classes).
 */
@ApplicationModule(allowedDependencies = {"shared", "compliance", "agents"})
package io.parley.sms;

import org.springframework.modulith.ApplicationModule;
