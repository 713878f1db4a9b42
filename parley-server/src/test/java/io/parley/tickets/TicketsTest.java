package io.parley.tickets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.patch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.parley.auth.Role;
import io.parley.auth.SignIns;
import io.parley.auth.SignIns.SignIn;
import io.parley.support.Accounts;
import io.parley.support.DatabaseCleaner;
import io.parley.support.DbTest;
import io.parley.support.ManualClock;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Tickets on the real database: {@code POST /api/tickets}, and redemption with a clock the test
 * moves: single use, 60 seconds, one purpose, dead with its user's sign-in, stored only as a hash.
 */
@DbTest
class TicketsTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  @Autowired MockMvc mvc;
  @Autowired JdbcClient jdbc;
  @Autowired DataSource dataSource;
  @Autowired SignIns signIns;

  private final ManualClock clock = new ManualClock("2026-11-25T10:00:00Z");
  private Tickets tickets;
  private Accounts accounts;

  @BeforeEach
  void setUp() {
    DatabaseCleaner.clean(dataSource);
    accounts = new Accounts(mvc);
    accounts.firstAdmin();
    tickets = new Tickets(jdbc, clock, signIns);
  }

  private SignIn signIn(Accounts.Session session) {
    int version =
        jdbc.sql("SELECT token_version FROM app_user WHERE id = ?")
            .param(session.userId())
            .query(Integer.class)
            .single();
    return new SignIn(session.userId(), version);
  }

  private JsonNode ask(Accounts.Session as, String body, int expected) throws Exception {
    var request = post("/api/tickets").contentType(MediaType.APPLICATION_JSON).content(body);
    if (as != null) {
      request = request.with(as.bearer());
    }
    String answer =
        mvc.perform(request)
            .andExpect(status().is(expected))
            .andReturn()
            .getResponse()
            .getContentAsString();
    return JSON.readTree(answer);
  }

  @Test
  void anySignedInRoleGetsATicketThatIsNeitherCachedNorStored() throws Exception {
    Accounts.Session viewer = accounts.user(Role.VIEWER);

    String answer =
        mvc.perform(
                post("/api/tickets")
                    .with(viewer.bearer())
                    .contentType(MediaType.APPLICATION_JSON)
                    .content("{\"purpose\":\"live-calls\"}"))
            .andExpect(status().isCreated())
            .andExpect(header().string("Cache-Control", "no-store"))
            .andExpect(header().string("Referrer-Policy", "no-referrer"))
            .andExpect(jsonPath("$.purpose").value("live-calls"))
            .andReturn()
            .getResponse()
            .getContentAsString();

    JsonNode issued = JSON.readTree(answer);
    String ticket = issued.get("ticket").asString();
    assertThat(ticket).matches("[A-Za-z0-9_-]{43}");
    Instant expires = Instant.parse(issued.get("expiresAt").asString());
    assertThat(Duration.between(Instant.now(), expires))
        .isBetween(Duration.ofSeconds(50), Duration.ofSeconds(61));
    Map<String, Object> row = jdbc.sql("SELECT * FROM ticket").query().singleRow();
    assertThat(row.get("token_hash"))
        .isEqualTo(
            HexFormat.of()
                .formatHex(
                    MessageDigest.getInstance("SHA-256")
                        .digest(ticket.getBytes(StandardCharsets.US_ASCII))));
    assertThat(row.values()).noneMatch(value -> String.valueOf(value).contains(ticket));
    assertThat(String.valueOf(row.get("user_id"))).isEqualTo(viewer.userId().toString());
    assertThat(row.get("purpose")).isEqualTo("live-calls");
    assertThat(row.get("used_at")).isNull();
  }

  @Test
  void aMissingOrUnknownPurposeIsRefusedNamingTheField() throws Exception {
    Accounts.Session operator = accounts.user(Role.OPERATOR);

    assertThat(ask(operator, "{}", 422).at("/errors/purpose").asString())
        .contains("required")
        .contains("live-calls");
    assertThat(ask(operator, "{\"purpose\":\"recording\"}", 422).at("/errors/purpose").asString())
        .isEqualTo("must be one of live-calls, campaign-events, playground-reply");
    assertThat(ask(operator, "{\"purpose\":\"LIVE_CALLS\"}", 422).has("errors")).isTrue();
    assertThat(jdbc.sql("SELECT COUNT(*) FROM ticket").query(Long.class).single()).isZero();
  }

  @Test
  void aCampaignEventsTicketNamesOneCampaignAndNoOtherPurposeTakesOne() throws Exception {
    Accounts.Session viewer = accounts.user(Role.VIEWER);
    String campaign = "0A1B2C3D-0000-4000-8000-00000000000F";

    assertThat(
            ask(viewer, "{\"purpose\":\"campaign-events\"}", 422)
                .at("/errors/campaignId")
                .asString())
        .isEqualTo("is required for a campaign-events ticket");
    assertThat(
            ask(viewer, "{\"purpose\":\"campaign-events\",\"campaignId\":\"c-1\"}", 422)
                .at("/errors/campaignId")
                .asString())
        .isEqualTo("must be an id (UUID)");
    assertThat(
            ask(viewer, "{\"purpose\":\"live-calls\",\"campaignId\":\"" + campaign + "\"}", 422)
                .at("/errors/campaignId")
                .asString())
        .contains("only taken with purpose campaign-events");
    assertThat(jdbc.sql("SELECT COUNT(*) FROM ticket").query(Long.class).single()).isZero();

    JsonNode issued =
        ask(viewer, "{\"purpose\":\"campaign-events\",\"campaignId\":\"" + campaign + "\"}", 201);
    assertThat(issued.get("purpose").asString()).isEqualTo("campaign-events");
    // Stored as UUID#toString spells it, which is how the endpoint redeems it.
    assertThat(jdbc.sql("SELECT resource FROM ticket").query(String.class).single())
        .isEqualTo(campaign.toLowerCase());
  }

  @Test
  void aCampaignTicketAdmitsItsUserToItsCampaignOnly() {
    SignIn viewer = signIn(accounts.user(Role.VIEWER));
    String mine = "00000000-0000-4000-8000-00000000000a";
    String ticket = tickets.issue(viewer, TicketPurpose.CAMPAIGN_EVENTS, mine).ticket();

    assertThatThrownBy(
            () ->
                tickets.redeem(
                    ticket, TicketPurpose.CAMPAIGN_EVENTS, "00000000-0000-4000-8000-00000000000b"))
        .isInstanceOf(TicketRefused.class);
    assertThatThrownBy(() -> tickets.redeem(ticket, TicketPurpose.LIVE_CALLS))
        .isInstanceOf(TicketRefused.class);
    // Neither refusal spent it.
    assertThat(tickets.redeem(ticket, TicketPurpose.CAMPAIGN_EVENTS, mine))
        .isEqualTo(new TicketHolder(viewer.userId(), mine));
    assertThatThrownBy(() -> tickets.redeem(ticket, TicketPurpose.CAMPAIGN_EVENTS, mine))
        .isInstanceOf(TicketRefused.class);

    // A live-calls ticket does not open a campaign either, and is still good after.
    String live = tickets.issue(viewer, TicketPurpose.LIVE_CALLS, null).ticket();
    assertThatThrownBy(() -> tickets.redeem(live, TicketPurpose.CAMPAIGN_EVENTS, mine))
        .isInstanceOf(TicketRefused.class);
    assertThat(tickets.redeem(live, TicketPurpose.LIVE_CALLS).userId()).isEqualTo(viewer.userId());
    // A bound purpose is never redeemed without its resource, nor an unbound one with one.
    assertThatThrownBy(() -> tickets.redeem(live, TicketPurpose.CAMPAIGN_EVENTS))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> tickets.redeem(live, TicketPurpose.LIVE_CALLS, mine))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void withoutAnAccessTokenThereIsNoTicket() throws Exception {
    assertThat(ask(null, "{\"purpose\":\"live-calls\"}", 401).get("status").asInt()).isEqualTo(401);
    assertThat(jdbc.sql("SELECT COUNT(*) FROM ticket").query(Long.class).single()).isZero();
  }

  @Test
  void aTicketAdmitsItsUserOnce() {
    Accounts.Session operator = accounts.user(Role.OPERATOR);
    String ticket = tickets.issue(signIn(operator), TicketPurpose.LIVE_CALLS, null).ticket();

    assertThat(tickets.redeem(ticket, TicketPurpose.LIVE_CALLS))
        .isEqualTo(new TicketHolder(operator.userId(), null));
    assertThatThrownBy(() -> tickets.redeem(ticket, TicketPurpose.LIVE_CALLS))
        .isInstanceOf(TicketRefused.class);
  }

  @Test
  void aTicketExpiresSixtySecondsAfterItWasIssued() {
    SignIn operator = signIn(accounts.user(Role.OPERATOR));
    String early = tickets.issue(operator, TicketPurpose.LIVE_CALLS, null).ticket();
    String late = tickets.issue(operator, TicketPurpose.LIVE_CALLS, null).ticket();

    clock.advance(Duration.ofSeconds(59));
    assertThat(tickets.redeem(early, TicketPurpose.LIVE_CALLS).userId())
        .isEqualTo(operator.userId());
    clock.advance(Duration.ofSeconds(1));
    assertThatThrownBy(() -> tickets.redeem(late, TicketPurpose.LIVE_CALLS))
        .isInstanceOf(TicketRefused.class);
  }

  @Test
  void aTicketForAnotherPurposeIsRefused() {
    String ticket =
        tickets
            .issue(signIn(accounts.user(Role.OPERATOR)), TicketPurpose.LIVE_CALLS, "rec-1")
            .ticket();
    // Make this one a ticket for a purpose to come.
    jdbc.sql("UPDATE ticket SET purpose = 'recording'").update();

    assertThatThrownBy(() -> tickets.redeem(ticket, TicketPurpose.LIVE_CALLS))
        .isInstanceOf(TicketRefused.class);
    assertThat(
            jdbc.sql("SELECT COUNT(*) FROM ticket WHERE used_at IS NULL")
                .query(Long.class)
                .single())
        .as("a ticket presented at the wrong endpoint is not spent")
        .isEqualTo(1);
  }

  @Test
  void aTicketDiesWhenItsUserIsDisabledAfterItWasIssued() throws Exception {
    Accounts.Session operator = accounts.user(Role.OPERATOR);
    String ticket = tickets.issue(signIn(operator), TicketPurpose.LIVE_CALLS, null).ticket();

    mvc.perform(
            patch("/api/users/" + operator.userId())
                .with(accounts.admin().bearer())
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"enabled\":false}"))
        .andExpect(status().isOk());

    assertThatThrownBy(() -> tickets.redeem(ticket, TicketPurpose.LIVE_CALLS))
        .isInstanceOf(TicketRefused.class);
  }

  @Test
  void aTicketDiesWhenItsUsersTokensAreRevokedAfterItWasIssued() throws Exception {
    Accounts.Session operator = accounts.user(Role.OPERATOR);
    String ticket = tickets.issue(signIn(operator), TicketPurpose.LIVE_CALLS, null).ticket();

    mvc.perform(post("/api/auth/logout").with(operator.bearer())).andExpect(status().isNoContent());

    assertThatThrownBy(() -> tickets.redeem(ticket, TicketPurpose.LIVE_CALLS))
        .isInstanceOf(TicketRefused.class);
  }

  @Test
  void somethingThatIsNotATicketIsRefusedUnread() {
    for (String junk : new String[] {null, "", "x", "a".repeat(43) + "=", "é".repeat(43)}) {
      assertThatThrownBy(() -> tickets.redeem(junk, TicketPurpose.LIVE_CALLS))
          .isInstanceOf(TicketRefused.class);
    }
    assertThatThrownBy(() -> tickets.redeem("A".repeat(43), TicketPurpose.LIVE_CALLS))
        .isInstanceOf(TicketRefused.class);
  }

  @Test
  void ofManyConcurrentRedeemersExactlyOneGetsIn() throws Exception {
    SignIn operator = signIn(accounts.user(Role.OPERATOR));
    int redeemers = 12;
    for (int round = 0; round < 10; round++) {
      String ticket = tickets.issue(operator, TicketPurpose.LIVE_CALLS, null).ticket();
      CyclicBarrier together = new CyclicBarrier(redeemers);
      List<Future<Boolean>> attempts = new ArrayList<>();
      try (ExecutorService threads = Executors.newFixedThreadPool(redeemers)) {
        for (int i = 0; i < redeemers; i++) {
          attempts.add(
              threads.submit(
                  () -> {
                    together.await();
                    try {
                      tickets.redeem(ticket, TicketPurpose.LIVE_CALLS);
                      return true;
                    } catch (TicketRefused refused) {
                      return false;
                    }
                  }));
        }
      }
      int winners = 0;
      for (Future<Boolean> attempt : attempts) {
        winners += attempt.get() ? 1 : 0;
      }
      assertThat(winners).as("round %d", round).isEqualTo(1);
    }
  }

  @Test
  void expiredTicketsArePurgedUsedOrNot() {
    SignIn operator = signIn(accounts.user(Role.OPERATOR));
    String used = tickets.issue(operator, TicketPurpose.LIVE_CALLS, null).ticket();
    tickets.redeem(used, TicketPurpose.LIVE_CALLS);
    tickets.issue(operator, TicketPurpose.LIVE_CALLS, null);
    clock.advance(Duration.ofSeconds(61));
    String fresh = tickets.issue(operator, TicketPurpose.LIVE_CALLS, null).ticket();

    assertThat(tickets.purgeExpired()).isEqualTo(2);
    assertThat(jdbc.sql("SELECT token_hash FROM ticket").query(String.class).list())
        .containsExactly(Tickets.hash(fresh));
  }

  @Test
  void ticketsAreRandomAndDistinct() {
    SignIn operator = signIn(accounts.user(Role.OPERATOR));
    String first = tickets.issue(operator, TicketPurpose.LIVE_CALLS, null).ticket();
    String second = tickets.issue(operator, TicketPurpose.LIVE_CALLS, null).ticket();
    assertThat(first).isNotEqualTo(second);
  }
}
