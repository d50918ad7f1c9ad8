package org.sangfroid.simulator.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.sangfroid.core.excursion.AlarmKind;
import org.sangfroid.core.excursion.Rule;
import org.sangfroid.gateway.config.GatewayConfig;
import org.sangfroid.simulator.scenario.Scenario;
import org.sangfroid.simulator.scenario.ScenarioFile;

class SimulationGatewayTest {
  @Test
  void configuration_ofAScenario_isAGatewayConfigWithItsUnitsProfilesAndOverrides() {
    Scenario s = ScenarioFile.parse("s.yaml", """
        name: "Config: with quotes \\" and colons"
        duration: 1h
        sites:
          - id: casa-01
            name: "Casablanca: centre"
            agents:
              - id: agent-01
                units:
                  - {id: fridge-1, name: "Fridge #1", kind: fridge, profile: RBC_STORE_EU, delay: 10m,
                     hysteresis: 0.3, monitoringLostAfter: 20m}
              - id: agent-02
                units:
                  - {id: plt-1, kind: incubator, profile: PLT_STORE, rateOfChange: {perHour: 3, window: 20m}}
                  - {id: box-1, kind: transport-box, profile: RBC_TRANSPORT, transitTime: 5h30m}
        """);

    GatewayConfig config = GatewayConfig.parse("gateway.yaml",
        SimulationGateway.configuration(s, "tcp://127.0.0.1:1883"), Path.of("/tmp/run"));

    assertThat(config.dataDir()).isEqualTo(Path.of("/tmp/run/gateway-data"));
    assertThat(config.broker()).isInstanceOf(GatewayConfig.External.class);
    assertThat(config.fleet().units()).extracting(GatewayConfig.Unit::id).containsExactly("fridge-1", "plt-1", "box-1");
    for (GatewayConfig.Unit u : config.fleet().units()) {
      assertThat(u.profile()).as(u.id()).isEqualTo(s.unit(u.id()).orElseThrow().effectiveProfile());
    }
    assertThat(config.fleet().unit("box-1").orElseThrow().profile().rule(AlarmKind.TRANSIT_TIME))
        .contains(new Rule.TransitTime(Duration.ofMinutes(330)));
    assertThat(config.fleet().unit("plt-1").orElseThrow().profile().rule(AlarmKind.RATE_OF_CHANGE))
        .contains(new Rule.RateOfChange(3, Duration.ofMinutes(20), 0.6));
    GatewayConfig.Unit fridge = config.fleet().unit("fridge-1").orElseThrow();
    assertThat(fridge.name()).isEqualTo("Fridge #1");
    assertThat(fridge.profile()).isEqualTo(s.unit("fridge-1").orElseThrow().effectiveProfile());
    assertThat(fridge.profile().monitoringLostAfter()).isEqualTo(Duration.ofMinutes(20));
    assertThat(config.sites().get(0).name()).isEqualTo("Casablanca: centre");
  }
}
