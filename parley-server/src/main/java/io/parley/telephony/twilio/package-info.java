/**
 * Twilio Media Streams: the JSON text frames of the bidirectional {@code <Connect><Stream>}
 * WebSocket, parsed without building a tree because fifty of them arrive every second per call.
 */
@NamedInterface("media-streams")
package io.parley.telephony.twilio;

import org.springframework.modulith.NamedInterface;
