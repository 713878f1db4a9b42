package io.parley.tickets;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What Spring's request logging sees of a query holding a credential. */
class TicketQueryMaskingTest {

  @Test
  void masksTicketsAndLinkSignaturesOnly() {
    assertThat(TicketQueryMasking.mask("ticket=abc&x=1")).isEqualTo("ticket=…&x=1");
    assertThat(TicketQueryMasking.mask("expires=17&user=u&tv=3&sig=Q2x-_9"))
        .isEqualTo("expires=17&user=u&tv=3&sig=…");
    assertThat(TicketQueryMasking.mask("design=1&prefix_sig=2")).isEqualTo("design=1&prefix_sig=2");
    assertThat(TicketQueryMasking.mask(null)).isNull();
  }
}
