package io.parley.telephony;

import io.parley.agents.AgentEvent.AgentDeleted;
import io.parley.agents.AgentEvent.AgentSaved;
import io.parley.agents.NumberSyncStatus;
import io.parley.providers.ProviderRegistry;
import java.net.URI;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Points an agent's Twilio number at Parley whenever the agent is saved with one: voice URL {@code
 * /twilio/voice}, status callback {@code /twilio/status}, fallback {@code /twilio/fallback} and SMS
 * URL {@code /twilio/sms}, all POST, through IncomingPhoneNumbers. It runs after the agent's
 * transaction commits, off the request thread (Twilio may be slow), and records the result for the
 * agent's status. The base URL is {@code PARLEY_PUBLIC_URL}, or the URL of the request that saved
 * the agent, taken before the hand-off. Saving the agent again retries a failed sync.
 */
@Component
class NumberSync implements NumberSyncStatus, DisposableBean {

  private static final Logger log = LoggerFactory.getLogger(NumberSync.class);
  private static final int MAX_DETAIL = 500;

  private final CallControl control;
  private final PublicUrls urls;
  private final NumberSyncRepository results;
  private final ProviderRegistry providers;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

  NumberSync(
      CallControl control,
      PublicUrls urls,
      NumberSyncRepository results,
      ProviderRegistry providers) {
    this.control = control;
    this.urls = urls;
    this.results = results;
    this.providers = providers;
  }

  @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT)
  void saved(AgentSaved event) {
    if (event.twilioNumber() == null) {
      results.delete(event.agentId());
      return;
    }
    Optional<URI> base = urls.base();
    executor.execute(() -> sync(event, base));
  }

  @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT)
  void deleted(AgentDeleted event) {
    results.delete(event.agentId());
  }

  private void sync(AgentSaved event, Optional<URI> base) {
    String number = event.twilioNumber();
    String state;
    String detail = null;
    if (providers.twilio().isEmpty()) {
      state = "not_configured";
    } else if (base.isEmpty()) {
      state = "failed";
      detail = "PARLEY_PUBLIC_URL is not set, so Parley does not know the URL Twilio should call";
    } else {
      try {
        URI root = base.get();
        control.updateNumber(
            number,
            new CallControl.NumberWebhooks(
                urls.webhook(root, PublicUrls.VOICE),
                urls.webhook(root, PublicUrls.STATUS),
                urls.webhook(root, PublicUrls.FALLBACK),
                urls.webhook(root, PublicUrls.SMS)));
        state = "synced";
        log.info("Twilio number {} now calls {}", number, root);
      } catch (CallControlException e) {
        state = "failed";
        detail = e.getMessage();
        log.warn("Could not point Twilio number {} at Parley: {}", number, e.getMessage());
      } catch (RuntimeException e) {
        state = "failed";
        detail = "unexpected error: " + e;
        log.error("Could not point Twilio number {} at Parley", number, e);
      }
    }
    if (detail != null && detail.length() > MAX_DETAIL) {
      detail = detail.substring(0, MAX_DETAIL);
    }
    results.save(
        event.organisationId(),
        event.agentId(),
        event.version(),
        number,
        state,
        detail,
        Instant.now().truncatedTo(ChronoUnit.MICROS));
  }

  @Override
  public Optional<String> numberSync(UUID organisationId, UUID agentId, String twilioNumber) {
    return results
        .find(organisationId, agentId)
        .filter(r -> r.phoneNumber().equals(twilioNumber))
        .map(r -> r.detail() == null ? r.state() : r.state() + ": " + r.detail());
  }

  @Override
  public void destroy() {
    executor.shutdownNow();
  }
}
