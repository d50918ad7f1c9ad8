package org.sangfroid.demo.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sangfroid.agent.config.AgentConfig;
import org.sangfroid.agent.outbox.Measurement;
import org.sangfroid.core.wire.Reading;
import org.sangfroid.gateway.config.GatewayConfig;
import org.sangfroid.simulator.config.SimulatorConfig;

class WorkloadTest {
  private final Workload fleet = new Workload("bench-site", 2, 8, 4);

  @Test
  void reading_isNumberedAsTheOutboxNumbersTheTicks() {
    List<Measurement> tick = fleet.tick(1, 2, 1_000_000);
    Reading r = fleet.reading(1, 2 * 32 + 6, 1_000_000);

    assertThat(tick).hasSize(32);
    assertThat(r.time()).isEqualTo(1_000_000 + 2 * Workload.TICK_MS);
    assertThat(r.unit()).isEqualTo(tick.get(5).unit()).isEqualTo("a001-fridge-01");
    assertThat(r.sensor()).isEqualTo(tick.get(5).sensor());
    assertThat(r.celsius()).isEqualTo(tick.get(5).celsius()).isBetween(3.5, 4.4);
  }

  @Test
  void probes_areUniqueDs18b20RomIds() {
    assertThat(List.of(fleet.probe(0, 0, 0), fleet.probe(1, 0, 0), fleet.probe(0, 1, 0), fleet.probe(0, 0, 1)))
        .doesNotHaveDuplicates().allMatch(id -> id.matches("28-[0-9a-f]{12}"));
  }

  @Test
  void configurations_areValidForTheGatewayAgentAndSimulator(@TempDir Path dir) {
    GatewayConfig gateway = GatewayConfig.parse("gateway.yaml", fleet.gatewayYaml(dir.resolve("data"),
        AgentBench.EMBEDDED_BROKER, "", ""), dir);
    AgentConfig agent = AgentConfig.parse("agent.yaml", fleet.agentYaml(1, dir.resolve("agent"), dir.resolve("w1"),
        "tcp://127.0.0.1:1883"));
    SimulatorConfig simulator = SimulatorConfig.parse("simulator.yaml", fleet.simulatorYaml(dir.resolve("w1")));

    assertThat(gateway.fleet().units()).hasSize(16);
    assertThat(agent.sensorCount()).isEqualTo(32);
    assertThat(agent.agent()).isEqualTo("agent-001");
    assertThat(simulator.probes()).hasSize(64);
  }
}
