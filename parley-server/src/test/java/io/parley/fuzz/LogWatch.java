package io.parley.fuzz;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.LoggerFactory;

/**
 * Watches everything logged while it is attached and keeps the entries that would trouble an
 * operator: any with a stack trace, and any at ERROR. A client's mistake must cause neither.
 */
final class LogWatch extends AppenderBase<ILoggingEvent> {

  private final List<String> findings = new CopyOnWriteArrayList<>();
  private final Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);

  void attach() {
    setContext(root.getLoggerContext());
    setName("fuzz-log-watch");
    start();
    root.addAppender(this);
  }

  void detach() {
    root.detachAppender(this);
    stop();
  }

  List<String> findings() {
    return List.copyOf(findings);
  }

  @Override
  protected void append(ILoggingEvent event) {
    IThrowableProxy thrown = event.getThrowableProxy();
    if (thrown == null && !event.getLevel().isGreaterOrEqual(Level.ERROR)) {
      return;
    }
    findings.add(
        event.getLevel()
            + " "
            + event.getLoggerName()
            + " ["
            + event.getThreadName()
            + "]: "
            + event.getFormattedMessage()
            + (thrown == null ? "" : " -- " + thrown.getClassName() + ": " + thrown.getMessage()));
  }
}
