package io.parley.audit;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** One row of the audit log as administrators read it. */
record AuditEntry(
    UUID id,
    Instant occurredAt,
    UUID actorId,
    String actorEmail,
    String action,
    String targetType,
    String targetId,
    Map<String, Object> details,
    String clientAddress) {}
