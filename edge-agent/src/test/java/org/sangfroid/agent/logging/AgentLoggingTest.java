package org.sangfroid.agent.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.Configurator.ExecutionStatus;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The logging set-up in code: what it configures, and when it leaves the configuration to a file. */
class AgentLoggingTest {
  private final LoggerContext context = new LoggerContext();

  private ExecutionStatus configure(Map<String, String> properties, List<String> resources) {
    AgentLogging logging = new AgentLogging(properties::get, resources::contains);
    logging.setContext(context);
    return logging.configure(context);
  }

  private List<Appender<ILoggingEvent>> rootAppenders() {
    List<Appender<ILoggingEvent>> list = new ArrayList<>();
    context.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders().forEachRemaining(list::add);
    return list;
  }

  @Test
  void configure_noOverride_infoOnTheConsoleInOneLine_librariesAtWarn() {
    assertThat(configure(Map.of(), List.of())).isEqualTo(ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);

    assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getLevel()).isEqualTo(Level.INFO);
    assertThat(rootAppenders()).singleElement().isInstanceOfSatisfying(ConsoleAppender.class, console -> {
      assertThat(console.isStarted()).isTrue();
      assertThat(console.getTarget()).isEqualTo("System.out");
      PatternLayoutEncoder encoder = (PatternLayoutEncoder) console.getEncoder();
      LoggingEvent event = new LoggingEvent(Logger.class.getName(), context.getLogger("org.sangfroid.agent.EdgeAgent"),
          Level.WARN, "Edge agent {} started", null, new Object[] {"site/agent"});
      event.setThreadName("main");
      assertThat(new String(encoder.encode(event), StandardCharsets.UTF_8))
          .matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} WARN  \\[main\\] EdgeAgent: Edge agent site/agent started\\R");
    });
    assertThat(context.getLogger("org.sangfroid.agent.publish.MqttPublisher").isInfoEnabled()).isTrue();
    assertThat(context.getLogger("org.sangfroid.agent.publish.MqttPublisher").isDebugEnabled()).isFalse();
    for (String library : List.of("org.eclipse.paho.client.mqttv3.internal.ClientComms", "org.sqlite.core.NativeDB",
        "org.eclipse.californium.core.CoapClient")) {
      assertThat(context.getLogger(library).isInfoEnabled()).as(library).isFalse();
      assertThat(context.getLogger(library).isWarnEnabled()).as(library).isTrue();
    }
  }

  @Test
  void configure_configurationFileProperty_leavesItToLogback() {
    ExecutionStatus status = configure(Map.of(AgentLogging.CONFIG_FILE_PROPERTY, "/etc/sangfroid/logback.xml"),
        List.of());

    assertThat(status).isEqualTo(ExecutionStatus.INVOKE_NEXT_IF_ANY);
    assertThat(rootAppenders()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"logback.xml", "logback-test.xml"})
  void configure_fileOnTheClassPath_leavesItToLogback(String resource) {
    assertThat(configure(Map.of(), List.of(resource))).isEqualTo(ExecutionStatus.INVOKE_NEXT_IF_ANY);
    assertThat(rootAppenders()).isEmpty();
  }

  @Test
  void configure_blankConfigurationFileProperty_ignored() {
    assertThat(configure(Map.of(AgentLogging.CONFIG_FILE_PROPERTY, " "), List.of()))
        .isEqualTo(ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);
    assertThat(rootAppenders()).hasSize(1);
  }

  @Test
  void serviceLoader_findsIt_asLogbackLooksForConfigurators() {
    assertThat(ServiceLoader.load(Configurator.class).stream().map(ServiceLoader.Provider::type))
        .contains(AgentLogging.class);
  }
}
