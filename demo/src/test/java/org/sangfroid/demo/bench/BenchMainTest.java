package org.sangfroid.demo.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BenchMainTest {
  @Test
  void simulatorBenchHelp_namesTheCommandAsTyped() {
    String usage = BenchMain.commandLine(new BenchMain(new PrintStream(new ByteArrayOutputStream(), true,
        StandardCharsets.UTF_8))).getSubcommands().get("simulator").getUsageMessage();

    assertThat(usage).contains("bench simulator [").doesNotContain("bench bench");
  }
}
