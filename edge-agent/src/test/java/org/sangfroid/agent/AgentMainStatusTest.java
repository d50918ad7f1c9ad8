package org.sangfroid.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code status} without a running agent: what it says, and its exit codes. EdgeAgentStatusIT has the agent. */
class AgentMainStatusTest {
  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cli = AgentMain.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  private static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Test
  void status_nothingListening_saysWhatToCheckAndExitsOne() throws Exception {
    int port = closedPort();

    assertThat(run("status", "--url", "http://127.0.0.1:" + port)).isEqualTo(1);

    assertThat(err.toString()).startsWith("No agent answers at http://127.0.0.1:" + port)
        .contains("systemctl status sangfroid-agent").contains("'metrics:' section");
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void status_somethingElseListening_notTakenForAnAgent() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Thread t = new Thread(() -> {
        try (var c = s.accept()) {
          c.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}"
              .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        } catch (IOException ignored) {
          // the test fails on the client side if this does not answer
        }
      });
      t.start();

      assertThat(run("status", "--url", "http://127.0.0.1:" + s.getLocalPort())).isEqualTo(1);

      assertThat(err.toString()).contains("did not answer with an agent status");
      t.join(5_000);
    }
  }

  @Test
  void status_configWithoutMetricsSection_saysWhatToAddAndExitsTwo() throws Exception {
    Path file = Files.writeString(dir.resolve("agent.yaml"), """
        site: casa-01
        agent: agent-01
        dataDir: data
        broker:
          url: tcp://127.0.0.1:1883
        units:
          - id: rbc-fridge-1
            profile: RBC_STORE_EU
            sensors:
              - id: 28-0316a2794aff
                type: ds18b20
        """);

    assertThat(run("status", "--config", file.toString())).isEqualTo(2);

    assertThat(err.toString().lines()).containsExactly(
        file + " has no 'metrics:' section, so the agent serves no status. Add these two lines to it, then restart"
            + " the agent (sudo systemctl restart sangfroid-agent):",
        "metrics:",
        "  port: 9101");
  }

  @Test
  void status_badUrlOrBothTargets_exitsTwo() {
    assertThat(run("status", "--url", "ftp://127.0.0.1:9101")).isEqualTo(2);
    assertThat(err.toString()).contains("--url [ftp://127.0.0.1:9101] must be http://HOST:PORT");

    assertThat(run("status", "--url", "http://127.0.0.1:9101", "--config", "x.yaml")).isEqualTo(2);
    assertThat(err.toString()).contains("mutually exclusive");
  }

  @Test
  void status_help_documentsTheExitCodes() {
    assertThat(run("status", "--help")).isZero();

    assertThat(out.toString()).contains("Usage: sangfroid-agent status")
        .contains("0   the agent runs and all is well")
        .contains("3   the agent runs but something needs attention");
  }
}
