package io.parley.telephony;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicInteger;

/** The media port's counters, shared by every socket. */
final class MediaStreamMetrics {

  final Counter malformed;
  final Counter unknown;
  final Counter rejected;
  final Counter outOfOrder;
  final Counter dtmfDropped;
  final AtomicInteger open = new AtomicInteger();

  MediaStreamMetrics(MeterRegistry meters) {
    this.malformed = meters.counter("parley.media.messages.malformed");
    this.unknown = meters.counter("parley.media.messages.unknown");
    this.rejected = meters.counter("parley.media.streams.rejected");
    this.outOfOrder = meters.counter("parley.media.messages.out_of_order");
    this.dtmfDropped = meters.counter("parley.media.dtmf.dropped");
    meters.gauge("parley.media.sockets.open", open);
  }
}
