package io.parley.audit;

import java.time.Instant;
import java.util.UUID;

/** Optional filters of an audit query; null means "any". {@code to} is exclusive. */
record AuditFilter(
    String action, UUID actorId, String targetType, String targetId, Instant from, Instant to) {}
