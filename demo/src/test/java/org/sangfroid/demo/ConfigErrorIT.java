package org.sangfroid.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Foundation acceptance 7, through the packaged jars as a user runs them: a configuration
 * file with an error fails at start with {@code file:line: what is wrong}.
 */
class ConfigErrorIT {

  private record Result(int exit, String output) {}

  private static Result run(Path dir, String main, String... args) throws Exception {
    Path lib = Path.of("target", "lib").toAbsolutePath();
    String java = ProcessHandle.current().info().command().orElse("java");
    String[] command = new String[args.length + 4];
    command[0] = java;
    command[1] = "-cp";
    command[2] = lib + "/*";
    command[3] = main;
    System.arraycopy(args, 0, command, 4, args.length);
    Path out = dir.resolve("out.txt");
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("finished").isTrue();
    return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
      "org.sangfroid.agent.AgentMain, run",
      "org.sangfroid.agent.AgentMain, check-config",
      "org.sangfroid.gateway.GatewayMain, run",
      "org.sangfroid.gateway.GatewayMain, check-config"})
  void badConfig_failsWithFileAndLine(String main, String command, @TempDir Path dir) throws Exception {
    Path file = dir.resolve("bad.yaml");
    Files.writeString(file, "site: demo-centre\nagent: agent-01\ndataDir: " + dir + "\ntick: soon\nsites: 3\n");
    Result r = command.equals("run") ? run(dir, main, "run", "--config", file.toString())
        : run(dir, main, "check-config", file.toString());
    assertThat(r.exit()).as(r.output()).isNotZero();
    assertThat(r.output()).containsPattern(java.util.regex.Pattern.quote(file.toString()) + ":[45]: ");
  }
}
