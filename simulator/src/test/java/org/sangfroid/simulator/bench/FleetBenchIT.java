package org.sangfroid.simulator.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;
import org.sangfroid.simulator.run.SharedBroker;

/** Issue 6, acceptance 4 in small: a fleet through the broker into the gateway, nothing lost, and its table. */
class FleetBenchIT {
  @TempDir Path dir;

  @Test
  void run_smallFleet_storesEveryReadingTakenAndPrintsTheTable() throws Exception {
    FleetBench.Settings settings = new FleetBench.Settings(250, 100, Duration.ofMinutes(1), Duration.ofHours(1),
        Duration.ofMinutes(10), Duration.ofMinutes(5), 1, 1);

    FleetBench.Result r = FleetBench.run(settings, SharedBroker.url(), dir, (step, steps) -> { }, System::nanoTime);

    assertThat(r.agents()).isEqualTo(3);
    assertThat(r.taken()).isEqualTo(250 * 61);
    assertThat(r.stored()).isEqualTo(r.taken());
    assertThat(r.lost()).isZero();
    assertThat(r.ingestMicrosPerReading()).as("the gateway's ingest thread was found").isPositive();
    assertThat(r.simulatorMicrosPerReading()).as("the simulator's threads were measured").isPositive();
    assertThat(r.microsPerReading(ThreadCpu.Part.SIMULATOR_MQTT)).as("the virtual agents' Paho threads").isPositive();
    assertThat(r.microsPerReading(ThreadCpu.Part.BROKER)).as("HiveMQ's threads").isPositive();
    assertThat(r.microsPerReading(ThreadCpu.Part.GATEWAY_TICK)).as("the engine ticks, moved off the main thread")
        .isPositive();
    assertThat(r.processMicrosPerReading()).isGreaterThan(r.simulatorMicrosPerReading() + r.ingestMicrosPerReading());
    assertThat(FleetBench.table(r)).contains("250 fridges on 3 virtual agents (100 per agent)")
        .contains("readings lost          0").contains("each agent sends every 5m")
        .contains("simulator threads").contains("CPU per reading stored, by thread").contains("HiveMQ broker")
        .contains("up to 1 sends per agent waiting for the gateway's ack");
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 12})
  void run_sendsInFlight_storeEverything_neverMoreThanTheWindowBehind(int inFlight) throws Exception {
    FleetBench.Settings settings = new FleetBench.Settings(200, 100, Duration.ofMinutes(1), Duration.ofHours(2),
        Duration.ofMinutes(10), Duration.ofMinutes(1), inFlight, 1);

    FleetBench.Result r = FleetBench.run(settings, SharedBroker.url(), dir, (step, steps) -> { }, System::nanoTime);

    assertThat(r.stored()).isEqualTo(r.taken()).isEqualTo(200 * 121);
    assertThat(r.lost()).isZero();
    // Healthy fridges: an alarm here would be a reading still on its way taken for a lost one
    // (monitoring lost after 10 min; 12 sends in flight are 12 min) at an engine tick.
    assertThat(r.raised()).isZero();
    assertThat(FleetBench.table(r)).contains("up to " + inFlight + " sends per agent waiting for the gateway's ack");
    // The gateway's clock is the virtual clock: a reading stored k steps after it was taken was
    // waiting behind k sends. A window of n sends keeps that under n steps (1: stored at once).
    assertThat(maxLagMillis(dir)).isLessThan(Duration.ofMinutes(inFlight).toMillis());
  }

  /** The longest a reading waited, in virtual time, between being taken and being stored. */
  private static long maxLagMillis(Path dir) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("run/gateway-data/gateway.db"));
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT max(received_at - t), count(*) FROM readings")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getLong(2)).as("readings in the gateway's database").isPositive();
      return rs.getLong(1);
    }
  }
}
