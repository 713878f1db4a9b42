package io.parley.jobs;

import io.micrometer.core.instrument.MeterRegistry;
import io.parley.nodes.Nodes;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

/** This node's job poller, with every {@link JobHandler} bean. */
@Configuration(proxyBeanMethods = false)
class JobConfiguration {

  @Bean
  JobPoller jobPoller(
      JobRepository repository,
      ObjectProvider<JobHandler> handlers,
      JobSettings settings,
      Nodes nodes,
      Clock clock,
      PlatformTransactionManager transactions,
      MeterRegistry meters) {
    return new JobPoller(
        repository,
        new JobHandlers(handlers.orderedStream().toList()),
        settings,
        nodes.self().id(),
        clock,
        transactions,
        meters);
  }
}
