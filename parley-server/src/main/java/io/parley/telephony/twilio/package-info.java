/**
 * Twilio Media Streams: the JSON text frames of the bidirectional {@code <Connect><Stream>}
 * WebSocket, parsed without building a tree because fifty of them arrive every second per call.
 * {@link io.parley.telephony.twilio.MediaStreamCodec} works on Strings; on Netty buffers, {@link
 * io.parley.telephony.twilio.InboundMessages} reads a socket's messages and {@link
 * io.parley.telephony.twilio.OutboundMessages} writes a stream's, without garbage per frame.
 */
@NamedInterface("media-streams")
package io.parley.telephony.twilio;

import org.springframework.modulith.NamedInterface;
