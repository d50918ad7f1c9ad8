package org.sangfroid.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sangfroid.simulator.config.ProbeConfig;
import org.sangfroid.simulator.config.SimulatorConfig;
import org.sangfroid.simulator.failure.Failure;
import org.sangfroid.simulator.failure.FailureKind;
import org.sangfroid.simulator.onewire.DeviceState;
import org.sangfroid.simulator.onewire.RomId;
import org.sangfroid.simulator.thermal.UnitKind;

class SimulatedSiteTest {
  private static final long T0 = 1_767_225_600_000L;
  private static final String FRIDGE = "28-0000000000a1";
  private static final String FREEZER = "28-0000000000b2";
  private static final Duration WAIT = Duration.ofSeconds(5);

  @TempDir Path dir;

  private SimulatorConfig config() {
    return SimulatorConfig.of(
        dir,
        List.of(
            ProbeConfig.of(FRIDGE, UnitKind.FRIDGE),
            ProbeConfig.of(FREEZER, UnitKind.FREEZER)
                .withFailure(Failure.from(FailureKind.PROBE_DISCONNECT, Duration.ofMinutes(1)))));
  }

  private static boolean tickThreadAlive() {
    return Thread.getAllStackTraces().keySet().stream()
        .anyMatch(t -> t.getName().equals(SimulatedSite.THREAD_NAME) && t.isAlive());
  }

  @Test
  void start_beforeAnyTick_hasWrittenTheWholeTree() throws IOException {
    MutableClock clock = new MutableClock(T0);

    try (SimulatedSite site = SimulatedSite.start(config(), clock)) {
      assertThat(Files.readString(dir.resolve("w1_bus_master1/w1_master_slaves")))
          .isEqualTo(FRIDGE + "\n" + FREEZER + "\n");
      assertThat(Files.readString(dir.resolve(FRIDGE + "/w1_slave"))).contains("YES").contains("t=");
      assertThat(site.temperature(FRIDGE)).isBetween(2.0, 6.0);
    }
  }

  @Test
  void tick_clockMovedPastFailure_treeShowsIt() {
    MutableClock clock = new MutableClock(T0);
    try (SimulatedSite site = SimulatedSite.start(config(), clock)) {

      clock.advance(Duration.ofMinutes(2));

      await().atMost(WAIT).until(() -> !Files.exists(dir.resolve(FREEZER)));
      assertThat(site.devices().get(RomId.of(FREEZER))).isInstanceOf(DeviceState.Disconnected.class);
      assertThat(dir.resolve("w1_bus_master1/w1_master_slaves")).hasContent(FRIDGE);
    }
  }

  @Test
  void start_ticksOnANamedDaemonThread_andCloseStopsIt() {
    SimulatedSite site = SimulatedSite.start(config(), new MutableClock(T0));
    await().atMost(WAIT).until(SimulatedSiteTest::tickThreadAlive);
    Thread tick =
        Thread.getAllStackTraces().keySet().stream()
            .filter(t -> t.getName().equals(SimulatedSite.THREAD_NAME))
            .findFirst()
            .orElseThrow();
    assertThat(tick.isDaemon()).isTrue();

    site.close();

    await().atMost(WAIT).until(() -> !tick.isAlive());
  }

  @Test
  void close_afterClockMoved_writesTheTreeOneLastTime() {
    MutableClock clock = new MutableClock(T0);
    SimulatedSite site = SimulatedSite.start(config(), clock);
    clock.advance(Duration.ofMinutes(2));

    site.close();
    site.close();

    assertThat(dir.resolve(FREEZER)).doesNotExist();
    assertThat(dir.resolve(FRIDGE + "/w1_slave")).exists();
  }

  @Test
  void tick_writeFails_scheduleSurvivesAndRecovers() throws IOException {
    MutableClock clock = new MutableClock(T0);
    try (SimulatedSite site = SimulatedSite.start(config(), clock)) {
      Path master = dir.resolve("w1_bus_master1");
      Files.delete(master.resolve("w1_master_slaves"));
      Files.delete(master);
      Files.writeString(master, "a file where a folder should be");
      clock.advance(Duration.ofMinutes(2));
      await().atMost(WAIT).until(() -> !Files.exists(dir.resolve(FREEZER)));

      Files.delete(master);

      await().atMost(WAIT).until(() -> Files.isRegularFile(master.resolve("w1_master_slaves")));
      assertThat(tickThreadAlive()).isTrue();
      assertThat(site.devices().get(RomId.of(FREEZER))).isInstanceOf(DeviceState.Disconnected.class);
    }
  }
}
