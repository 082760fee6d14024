package io.pontoon.cli.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StructuredLoggingTest {
  @Test
  void aLineIsKeyValueWithQuotesInTheMessageEscaped() {
    LoggerContext context = new LoggerContext();
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern(StructuredLogging.PATTERN);
    encoder.start();
    LoggingEvent event = new LoggingEvent("x", context.getLogger("io.pontoon.vk.node.NodeController"), Level.INFO,
        "event=node-registered node=\"pontoon-c2\"", null, null);
    event.setThreadName("main");
    event.setTimeStamp(0);
    String line = new String(encoder.encode(event), StandardCharsets.UTF_8);
    assertThat(line).isEqualTo("ts=1970-01-01T00:00:00.000Z level=INFO logger=NodeController thread=main "
        + "msg=\"event=node-registered node=\\\"pontoon-c2\\\"\"" + System.lineSeparator());
  }

  @Test
  void configuresStderrAndQuietsTheLibraries() {
    LoggerContext context = new LoggerContext();
    StructuredLogging logging = new StructuredLogging();
    logging.setContext(context);
    logging.configure(context);
    assertThat(context.getLogger("ROOT").getAppender("STDERR")).isNotNull();
    assertThat(context.getLogger("io.fabric8.kubernetes.client.Foo").getEffectiveLevel()).isEqualTo(Level.WARN);
    assertThat(context.getLogger("io.pontoon.x").getEffectiveLevel()).isEqualTo(Level.INFO);
  }

  @Test
  void theRootLevelComesFromTheEnvironmentAndFallsBackToInfo() {
    assertThat(StructuredLogging.rootLevel(null)).isEqualTo(Level.INFO);
    assertThat(StructuredLogging.rootLevel(" debug ")).isEqualTo(Level.DEBUG);
    assertThat(StructuredLogging.rootLevel("loud")).isEqualTo(Level.INFO);
  }
}
