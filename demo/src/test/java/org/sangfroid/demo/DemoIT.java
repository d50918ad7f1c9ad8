package org.sangfroid.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sangfroid.demo.GatewayApi.Alarm;
import org.sangfroid.demo.GatewayApi.StoredReading;

/**
 * Foundation acceptance 8: the demo, run 10 times faster than real time. Everything (simulator,
 * agent, gateway) runs on the same accelerated clock, so the times checked here are the times
 * a user of {@code ./sangfroid demo} would see.
 */
class DemoIT {
  /** Fast, but slow enough that starting the gateway (seconds of real time) stays short in demo time. */
  private static final double SPEED = 10;
  private static final Duration DOOR_OPEN_AT = Duration.ofSeconds(20);

  @Test
  void demo_raisesOneFridgeAlarm_withinThreeMinutes_startingAtAReadingTime(@TempDir Path dir) throws Exception {
    try (Demo demo = Demo.start(new Demo.Options(dir, 0, SPEED, DOOR_OPEN_AT))) {
      Instant start = demo.startedAt();
      GatewayApi api = new GatewayApi(demo.baseUrl().getPort(), demo.webLogin());
      assertThat(dir.resolve("gateway.yaml")).exists();
      assertThat(dir.resolve("agent.yaml")).exists();

      await().atMost(Duration.ofSeconds(90))
          .until(() -> api.alarms("active").stream().anyMatch(a -> a.kind().equals("HIGH_TEMPERATURE")));
      List<Alarm> all = api.alarms("active");
      assertThat(all).as("the fridge's +5.5 °C warning came first").extracting(Alarm::unit, Alarm::kind)
          .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple(SiteConfigs.FRIDGE, "HIGH_TEMPERATURE"),
              org.assertj.core.groups.Tuple.tuple(SiteConfigs.FRIDGE, "HIGH_WARNING"));
      List<Alarm> active = all.stream().filter(a -> a.kind().equals("HIGH_TEMPERATURE")).toList();
      assertThat(active).singleElement().satisfies(alarm -> {
        assertThat(alarm.unit()).isEqualTo(SiteConfigs.FRIDGE);
        assertThat(alarm.kind()).isEqualTo("HIGH_TEMPERATURE");
        assertThat(alarm.startedAt()).as("after the door was opened").isAfter(start.plus(DOOR_OPEN_AT));
        assertThat(alarm.raisedAt()).as("the 30 s delay").isAfterOrEqualTo(alarm.startedAt().plusSeconds(30));
        assertThat(alarm.raisedAt()).as("within three minutes of the start").isBefore(start.plus(Duration.ofMinutes(3)));
      });
      Alarm alarm = active.get(0);
      List<StoredReading> fridge = api.readings(SiteConfigs.FRIDGE);
      assertThat(fridge).as("the alarm starts at the first reading above +6 °C")
          .filteredOn(r -> r.time().equals(alarm.startedAt()))
          .singleElement().satisfies(r -> assertThat(r.value()).isGreaterThan(6.0));
      assertThat(fridge).filteredOn(r -> r.time().isBefore(alarm.startedAt()))
          .last().satisfies(r -> assertThat(r.value()).isLessThanOrEqualTo(6.0));
      assertThat(api.unit(SiteConfigs.FRIDGE).path("state").asText()).isEqualTo("alarm");
      assertThat(api.unit(SiteConfigs.FREEZER).path("state").asText()).isEqualTo("ok");
      assertThat(api.unit(SiteConfigs.INCUBATOR).path("state").asText()).isEqualTo("ok");
    }
    assertThat(dir.resolve("agent-data").resolve("outbox.db")).exists();
  }

  @Test
  void demoConfigFiles_passTheirOwnChecks(@TempDir Path dir) throws Exception {
    Path w1 = dir.resolve("w1");
    Files.createDirectories(w1);
    org.sangfroid.simulator.config.SimulatorConfig.load(
        Demo.write(dir.resolve("s.yaml"), SiteConfigs.simulator(w1, DOOR_OPEN_AT)));
    org.sangfroid.gateway.config.GatewayConfig.load(Demo.write(dir.resolve("g.yaml"),
        SiteConfigs.gateway(dir, 8080, SiteConfigs.EMBEDDED_BROKER, Duration.ofSeconds(30))));
    org.sangfroid.agent.config.AgentConfig.load(Demo.write(dir.resolve("a.yaml"),
        SiteConfigs.agent(dir, w1, "tcp://127.0.0.1:1883", Duration.ofSeconds(10))));
  }
}
