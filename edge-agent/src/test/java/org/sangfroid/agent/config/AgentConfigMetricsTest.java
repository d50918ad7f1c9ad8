package org.sangfroid.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sangfroid.core.config.ConfigException;

/** Issue 3: the optional {@code metrics} section of the local /metrics and /status endpoint. */
class AgentConfigMetricsTest {
  @TempDir Path dir;

  private Path config(String metrics) throws Exception {
    return Files.writeString(dir.resolve("agent.yaml"), """
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
        %s""".formatted(metrics));
  }

  @Test
  void load_noSection_noEndpoint() throws Exception {
    assertThat(AgentConfig.load(config("")).metrics()).isEmpty();
  }

  @Test
  void load_emptySection_defaultsToLoopback9101() throws Exception {
    AgentConfig.Metrics m = AgentConfig.load(config("metrics: {}")).metrics().orElseThrow();

    assertThat(m).isEqualTo(new AgentConfig.Metrics("127.0.0.1", 9101));
    assertThat(m.localUrl()).isEqualTo(URI.create("http://127.0.0.1:9101"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      0.0.0.0 | 9300 | http://127.0.0.1:9300
      ::1     | 9101 | http://[::1]:9101
      10.1.2.3| 9101 | http://10.1.2.3:9101
      """)
  void load_bindAndPort_readAndReachableFromThisDevice(String bind, int port, String url) throws Exception {
    AgentConfig.Metrics m = AgentConfig.load(config("metrics:\n  bind: \"" + bind + "\"\n  port: " + port))
        .metrics().orElseThrow();

    assertThat(m.bind()).isEqualTo(bind);
    assertThat(m.port()).isEqualTo(port);
    assertThat(m.localUrl()).isEqualTo(URI.create(url));
  }

  @Test
  void load_badValues_eachReportedWithItsLine() throws Exception {
    Path file = config("metrics:\n  bind: gateway.local\n  port: 80\n  path: /x");

    try {
      AgentConfig.load(file);
      throw new AssertionError("expected problems");
    } catch (ConfigException e) {
      assertThat(e.problems()).containsExactly(
          file + ":13: metrics.bind [gateway.local] must be an IP address of this device, such as 127.0.0.1 (this"
              + " device only) or 0.0.0.0 (every network).",
          file + ":14: metrics.port [80] must be a whole number from 1024 to 65535.",
          file + ":15: metrics.path is not a known setting (known here: bind, port)");
    }
  }

  @Test
  void ipLiteral_onlyNumbersNeverNames() {
    assertThat(List.of("127.0.0.1", "0.0.0.0", "::", "fe80::1", "192.168.1.20"))
        .allMatch(AgentConfig::ipLiteral);
    assertThat(List.of("localhost", "256.1.1.1", "1.2.3", "", "gw")).noneMatch(AgentConfig::ipLiteral);
  }
}
