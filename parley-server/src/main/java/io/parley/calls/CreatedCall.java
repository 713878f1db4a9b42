package io.parley.calls;

import java.util.UUID;

/**
 * The result of {@link CallRecords#create}.
 *
 * @param id the call's id
 * @param created false when the idempotency key or CallSid named a call that already existed: the
 *     caller must not dial (or answer) it a second time
 */
public record CreatedCall(UUID id, boolean created) {}
