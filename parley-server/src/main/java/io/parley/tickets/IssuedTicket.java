package io.parley.tickets;

import java.time.Instant;

/** The answer of {@code POST /api/tickets}; the only place the ticket itself ever appears. */
record IssuedTicket(String ticket, TicketPurpose purpose, Instant expiresAt) {}
