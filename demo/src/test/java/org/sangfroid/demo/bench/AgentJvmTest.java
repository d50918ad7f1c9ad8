package org.sangfroid.demo.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class AgentJvmTest {

  @Test
  void shipped_isWhatTheAgentsSystemdUnitRunsItWith() throws IOException {
    String unit = Files.readString(Path.of("..", "deploy", "systemd", "sangfroid-agent.service"));
    Matcher m = Pattern.compile("(?m)^Environment=\"JAVA_OPTS=([^\"]*)\"$").matcher(unit);

    assertThat(m.find()).isTrue();
    assertThat(List.of(m.group(1).split(" "))).as("the bench measures what is shipped")
        .isEqualTo(AgentJvm.SHIPPED.jvm());
    assertThat(AgentJvm.SHIPPED.jvm()).contains("-Xmx32m");
    Map<String, String> env = new HashMap<>();
    Matcher e = Pattern.compile("(?m)^Environment=([A-Z_]+)=(\\S+)$").matcher(unit);
    while (e.find()) {
      env.put(e.group(1), e.group(2));
    }
    assertThat(env).as("the unit's other environment").isEqualTo(AgentJvm.SHIPPED.env());
  }

  @Test
  void label_environmentThenOptions() {
    assertThat(new AgentJvm.Options("x", Map.of("MALLOC_ARENA_MAX", "2"), List.of("-Xmx32m", "-Xss256k")).label())
        .isEqualTo("MALLOC_ARENA_MAX=2 -Xmx32m -Xss256k");
  }
}
