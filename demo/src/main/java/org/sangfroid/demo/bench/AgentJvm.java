package org.sangfroid.demo.bench;

import java.util.List;

/** The JVM options the agent process is measured with. */
final class AgentJvm {
  /** A set of JVM options and a short name for its folder. */
  record Options(String name, List<String> jvm) {}

  /** As issue 3 states the memory target: a 32 MB heap and nothing else. */
  static final Options ACCEPTANCE = new Options("xmx32m", List.of("-Xmx32m"));

  /** What the agent's systemd unit runs it with (deploy/systemd/sangfroid-agent.service, JAVA_OPTS). */
  static final Options SHIPPED = new Options("shipped", List.of("-Xmx32m", "-Xms8m", "-XX:+UseSerialGC",
      "-XX:TieredStopAtLevel=1", "-XX:+ExitOnOutOfMemoryError"));

  static final List<Options> MEASURED = List.of(ACCEPTANCE, SHIPPED);

  private AgentJvm() {}
}
