package org.sangfroid.demo.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The JVM options (and environment) the agent process is measured with. */
final class AgentJvm {
  /** A set of JVM options, the environment they need, and a short name for its folder. */
  record Options(String name, Map<String, String> env, List<String> jvm) {
    Options(String name, List<String> jvm) {
      this(name, Map.of(), jvm);
    }

    /** As a shell would show it: {@code NAME=value ... -option ...}. */
    String label() {
      List<String> words = new ArrayList<>();
      env.forEach((k, v) -> words.add(k + "=" + v));
      words.addAll(jvm);
      return String.join(" ", words);
    }
  }

  /** As issue 3 states the memory target: a 32 MB heap and nothing else. */
  static final Options ACCEPTANCE = new Options("xmx32m", List.of("-Xmx32m"));

  /**
   * What the agent's systemd unit runs it with (deploy/systemd/sangfroid-agent.service: JAVA_OPTS
   * and the environment).
   */
  static final Options SHIPPED = new Options("shipped", Map.of("MALLOC_ARENA_MAX", "2"), List.of("-Xmx32m", "-Xms8m",
      "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:CompileThresholdScaling=10", "-XX:+ExitOnOutOfMemoryError"));

  static final List<Options> MEASURED = List.of(ACCEPTANCE, SHIPPED);

  private AgentJvm() {}
}
