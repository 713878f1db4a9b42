package io.parley.telephony;

import java.util.UUID;

/**
 * Published when asynchronous answering-machine detection has decided who answered a call Parley
 * placed ({@code human}, {@code machine_start}, {@code fax}, {@code unknown}, ...). The verdict is
 * the one stored for the call; a machine is already being hung up, unless the call has a voicemail
 * message to leave after the greeting (then the conversation hangs up once it has played).
 *
 * @param human whether the agent may talk (a person, or detection could not tell)
 */
public record AnsweringMachineVerdict(UUID callId, String answeredBy, boolean human) {}
