package org.sangfroid.agent.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * The agent's logging, set up in code: every message at INFO and above on standard output (the
 * service's journal), one line each, third-party libraries at WARN. Found by logback through
 * {@code META-INF/services}. In code rather than in a {@code logback.xml} because reading XML
 * loads logback's configurator and the JDK's XML parser, about 300 classes and 4 MB of
 * resident memory on a device where the whole agent should fit in 64 MB.
 *
 * <p>logback's usual overrides still win, as they would over a {@code logback.xml}: a file named
 * by {@code -Dlogback.configurationFile=FILE} (in the service's {@code JAVA_OPTS}), or a {@code
 * logback-test.xml} or {@code logback.xml} on the class path (tests, and programs that embed the
 * agent with their own configuration). Then this configurator steps aside and logback reads that
 * file as before.
 */
public final class AgentLogging extends ContextAwareBase implements Configurator {
  /** Time, level, thread, the class's simple name, the message. */
  public static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level [%thread] %logger{0}: %msg%n";
  /** The system property that names a logback configuration file (logback's own). */
  public static final String CONFIG_FILE_PROPERTY = "logback.configurationFile";
  /** Class path resources that logback would read, in its order. */
  static final List<String> CONFIG_RESOURCES = List.of("logback-test.xml", "logback.xml");
  /**
   * Libraries that log their internals at INFO: not for a technician's console. Paho logs through
   * java.util.logging and is silent by default; this covers a bridge. Californium logs its set-up
   * (threads, buffers, JCE).
   */
  static final Map<String, Level> QUIET = Map.of(
      "org.eclipse.paho", Level.WARN,
      "org.sqlite", Level.WARN,
      "org.eclipse.californium", Level.WARN);

  private final UnaryOperator<String> properties;
  private final Predicate<String> onClassPath;

  /** As logback creates it: system properties and this class's class loader. */
  public AgentLogging() {
    this(System::getProperty, resource -> AgentLogging.class.getClassLoader().getResource(resource) != null);
  }

  AgentLogging(UnaryOperator<String> properties, Predicate<String> onClassPath) {
    this.properties = properties;
    this.onClassPath = onClassPath;
  }

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    String file = properties.apply(CONFIG_FILE_PROPERTY);
    if (file != null && !file.isBlank()) {
      addInfo(CONFIG_FILE_PROPERTY + " is set: logback reads " + file);
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    for (String resource : CONFIG_RESOURCES) {
      if (onClassPath.test(resource)) {
        addInfo(resource + " is on the class path: logback reads it");
        return ExecutionStatus.INVOKE_NEXT_IF_ANY;
      }
    }
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern(PATTERN);
    encoder.start();
    ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
    console.setContext(context);
    console.setName("CONSOLE");
    console.setEncoder(encoder);
    console.start();
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.INFO);
    root.addAppender(console);
    QUIET.forEach((name, level) -> context.getLogger(name).setLevel(level));
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }
}
