/**
 * Tickets: what a browser presents where it cannot send a bearer header (an {@code EventSource}
 * stream, an {@code <audio>} source). {@code POST /api/tickets} hands a signed-in user a ticket
 * that works once, for one purpose, within 60 seconds, and only while the user's access tokens
 * would still work; the endpoint of that purpose redeems it with {@link io.parley.tickets.Tickets}.
 */
@ApplicationModule(allowedDependencies = {"shared", "auth", "database"})
package io.parley.tickets;

import org.springframework.modulith.ApplicationModule;
