package org.sangfroid.demo.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
  }
}
