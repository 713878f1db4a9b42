package io.parley.tickets;

import java.util.UUID;

/**
 * Who redeemed a ticket: the user it was issued to, and the resource it names within its purpose
 * (null when the purpose needs none).
 */
public record TicketHolder(UUID userId, String resource) {}
