package io.pontoon.cli.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.util.Map;

/**
 * Pontoon's logging, set up in code rather than from an XML file: structured key=value lines on
 * stderr (stdout stays for command output), root level from {@code PONTOON_LOG_LEVEL}. Parsing
 * an XML configuration costs every process about 0.1 s of start-up, and a virtual kubelet's
 * start-up is on the way to its node's first Ready. Ranked below logback's file lookup, so a
 * {@code logback.xml} or {@code logback-test.xml} on the classpath still wins.
 */
@ConfiguratorRank(ConfiguratorRank.NOMINAL - 5)
public final class StructuredLogging extends ContextAwareBase implements Configurator {
  /** One line per event; quotes in the message are escaped so the line stays parseable. */
  static final String PATTERN = "ts=%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX,UTC} level=%level logger=%logger{0} "
      + "thread=%thread msg=\"%replace(%msg){'\"','\\\\\"'}\"%n%ex{short}";
  /** Chatty libraries: only their warnings. */
  static final Map<String, Level> QUIETER = Map.of(
      "io.netty", Level.WARN,
      "io.vertx", Level.WARN,
      "io.fabric8", Level.WARN,
      // "unstable version v1alpha1" is true of every Pontoon kind and says nothing to a user
      "io.fabric8.kubernetes.client.dsl.internal.VersionUsageUtils", Level.ERROR);

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern(PATTERN);
    encoder.start();
    ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
    stderr.setContext(context);
    stderr.setName("STDERR");
    stderr.setTarget("System.err");
    stderr.setEncoder(encoder);
    stderr.start();
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(rootLevel(System.getenv("PONTOON_LOG_LEVEL")));
    root.addAppender(stderr);
    QUIETER.forEach((name, level) -> context.getLogger(name).setLevel(level));
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  /** The level named (any case), INFO when unset or not a level. */
  static Level rootLevel(String name) {
    return name == null || name.isBlank() ? Level.INFO : Level.toLevel(name.trim(), Level.INFO);
  }
}
