package org.sangfroid.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.sangfroid.agent.config.AgentConfig;
import org.sangfroid.agent.sensor.coap.CoapSensor;
import org.sangfroid.agent.testkit.BrokerExtension;
import org.sangfroid.agent.testkit.MutableClock;
import org.sangfroid.agent.testkit.TestBroker;
import org.sangfroid.agent.testkit.TestGateway;
import org.sangfroid.core.wire.Quality;
import org.sangfroid.core.wire.Reading;
import org.sangfroid.simulator.coap.CoapTemperatureNode;

/**
 * Issue 3 (Sensors): a wireless node from the config file to the gateway: its values are read
 * on the tick, its silence is recorded as disconnected readings, and it is read again once back.
 */
@ExtendWith(BrokerExtension.class)
class EdgeAgentCoapIT {
  private static final Instant NOW = Instant.parse("2026-01-15T08:00:00Z");
  private static final Duration WAIT = Duration.ofSeconds(15);

  @TempDir Path dir;

  @Test
  void start_coapNode_valuesSilenceAndReturnReachTheGateway(TestBroker broker) throws Exception {
    MutableClock clock = new MutableClock(NOW);
    try (CoapTemperatureNode node = CoapTemperatureNode.plain(InetAddress.getLoopbackAddress(), clock).start();
        TestGateway gateway = TestGateway.connect(broker.url(), "casa-01", "agent-coap")) {
      node.temperature(22.25);
      Path file = Files.writeString(dir.resolve("agent.yaml"), """
          site: casa-01
          agent: agent-coap
          tick: 1s
          dataDir: %s
          broker:
            url: %s
          units:
            - id: plt-incubator-1
              profile: PLT_STORE
              sensors:
                - id: incubator-node-1
                  type: coap
                  uri: %s
                  silentAfter: 10s
          """.formatted(dir.resolve("data"), broker.url(), node.uri()));

      try (EdgeAgent agent = EdgeAgent.start(AgentConfig.load(file), clock)) {
        await().atMost(WAIT).until(() -> hasReading(gateway, 22.25, Quality.OK));

        node.stop();
        clock.advance(Duration.ofSeconds(11));
        await().atMost(WAIT).until(() -> last(gateway).quality() == Quality.DISCONNECTED);

        clock.advance(CoapSensor.MAX_RETRY);
        node.start();
        node.temperature(21.75);
        await().atMost(WAIT).until(() -> hasReading(gateway, 21.75, Quality.OK));

        assertThat(gateway.readings()).extracting(Reading::celsius, Reading::quality).containsSubsequence(
            tuple(22.25, Quality.OK), tuple(Double.NaN, Quality.DISCONNECTED), tuple(21.75, Quality.OK));
        assertThat(gateway.readings()).extracting(Reading::unit, Reading::sensor)
            .containsOnly(tuple("plt-incubator-1", "incubator-node-1"));
        assertThat(agent.meters().counter("sangfroid.agent.coap.notifications", "sensor", "incubator-node-1",
            "result", "accepted").count()).isGreaterThanOrEqualTo(2);
      }
    }
  }

  private static boolean hasReading(TestGateway gateway, double celsius, Quality quality) {
    return gateway.readings().stream().anyMatch(r -> r.quality() == quality && r.celsius() == celsius);
  }

  private static Reading last(TestGateway gateway) {
    List<Reading> all = gateway.readings();
    return all.isEmpty() ? new Reading(0, 0, "none", "none", Double.NaN, Quality.OK, true) : all.get(all.size() - 1);
  }
}
