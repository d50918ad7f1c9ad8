package org.sangfroid.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.sangfroid.core.check.InvalidValueException;
import org.sangfroid.simulator.config.ProbeConfig;
import org.sangfroid.simulator.config.SimulatorConfig;
import org.sangfroid.simulator.failure.Failure;
import org.sangfroid.simulator.failure.FailureKind;
import org.sangfroid.simulator.onewire.DeviceState;
import org.sangfroid.simulator.onewire.OneWireTree;
import org.sangfroid.simulator.onewire.RomId;
import org.sangfroid.simulator.onewire.Scratchpad;
import org.sangfroid.simulator.thermal.UnitKind;

class SiteModelTest {
  private static final long T0 = 1_767_225_600_000L; // 2026-01-01T00:00:00Z
  private static final String FRIDGE = "28-0000000000a1";
  private static final String FREEZER = "28-0000000000b2";
  private static final String INCUBATOR = "28-0000000000c3";
  private static final Path DIR = Path.of("unused");

  private static SimulatorConfig site(long seed) {
    return SimulatorConfig.of(
            DIR,
            List.of(
                ProbeConfig.of(FRIDGE, UnitKind.FRIDGE),
                ProbeConfig.of(FREEZER, UnitKind.FREEZER)
                    .withFailure(Failure.from(FailureKind.COMPRESSOR_STOP, Duration.ofHours(1))),
                ProbeConfig.of(INCUBATOR, UnitKind.INCUBATOR)
                    .withFailure(
                        Failure.during(FailureKind.CRC_ERROR, Duration.ofMinutes(5), Duration.ofMinutes(1)))))
        .withSeed(seed);
  }

  /** The w1_slave text of every probe, once per simulated minute for two hours. */
  private static List<String> trace(SiteModel model) {
    List<String> out = new ArrayList<>();
    for (int minute = 1; minute <= 120; minute++) {
      model.advanceTo(T0 + minute * 60_000L);
      model.devices().forEach((rom, state) -> out.add(rom + " " + render(state)));
    }
    return out;
  }

  private static String render(DeviceState state) {
    if (state instanceof DeviceState.Reading r) {
      return OneWireTree.w1SlaveText(Scratchpad.ofCelsius(r.celsius()), Scratchpad.ZERO);
    }
    return state.toString();
  }

  @Test
  void advanceTo_sameSeed_identicalSequence() {
    List<String> first = trace(new SiteModel(site(42), T0));
    List<String> second = trace(new SiteModel(site(42), T0));

    assertThat(second).isEqualTo(first);
  }

  @Test
  void advanceTo_differentSeed_differentSequence() {
    assertThat(trace(new SiteModel(site(43), T0))).isNotEqualTo(trace(new SiteModel(site(42), T0)));
  }

  @Test
  void advanceTo_inManySmallCallsOrOneCall_sameReadings() {
    SiteModel stepwise = new SiteModel(site(42), T0);
    SiteModel atOnce = new SiteModel(site(42), T0);
    for (long t = T0; t < T0 + 3_600_000L; t += 777) {
      stepwise.advanceTo(t);
    }
    stepwise.advanceTo(T0 + 3_600_000L);

    atOnce.advanceTo(T0 + 3_600_000L);

    assertThat(stepwise.now()).isEqualTo(atOnce.now());
    for (RomId rom : atOnce.roms()) {
      assertThat(stepwise.temperature(rom)).isEqualTo(atOnce.temperature(rom));
    }
  }

  @Test
  void advanceTo_betweenSteps_stopsAtLastWholeStepAndNeverGoesBack() {
    SiteModel model = new SiteModel(site(1), T0);

    model.advanceTo(T0 + 90_500);
    model.advanceTo(T0 + 10_000);

    assertThat(model.now()).isEqualTo(T0 + 90_000);
    assertThat(model.elapsed()).isEqualTo(Duration.ofSeconds(90));
  }

  @Test
  void devices_probeFailureWindow_showsFaultOnlyWhileActive() {
    SiteModel model = new SiteModel(site(1), T0);

    model.advanceTo(T0 + Duration.ofMinutes(5).minusSeconds(1).toMillis());
    assertThat(model.devices().get(RomId.of(INCUBATOR))).isInstanceOf(DeviceState.Reading.class);
    model.advanceTo(T0 + Duration.ofMinutes(5).toMillis());
    assertThat(model.devices().get(RomId.of(INCUBATOR))).isInstanceOf(DeviceState.CrcError.class);
    model.advanceTo(T0 + Duration.ofMinutes(6).toMillis());
    assertThat(model.devices().get(RomId.of(INCUBATOR))).isInstanceOf(DeviceState.Reading.class);
  }

  @Test
  void devices_configurationOrder_kept() {
    Map<RomId, DeviceState> devices = new SiteModel(site(1), T0).devices();

    assertThat(devices.keySet()).extracting(RomId::value).containsExactly(FRIDGE, FREEZER, INCUBATOR);
  }

  @Test
  void temperature_freezerAfterCompressorStop_warms() {
    SiteModel model = new SiteModel(site(1), T0);
    model.advanceTo(T0 + Duration.ofHours(1).toMillis());
    double atStop = model.model(FREEZER).temperature();

    model.advanceTo(T0 + Duration.ofHours(3).toMillis());

    assertThat(model.temperature(FREEZER)).isGreaterThan(-25.0);
    assertThat(model.model(FREEZER).temperature()).isGreaterThan(atStop + 5);
  }

  static LongStream seeds() {
    return LongStream.rangeClosed(1, 30);
  }

  /** Whatever the compressor's phase when the door opens, the excursion shows within 30–120 s. */
  @ParameterizedTest
  @MethodSource("seeds")
  void temperature_fridgeDoorOpen_exceeds6Between30And120SecondsAfterAt(long seed) {
    Duration at = Duration.ofMinutes(10);
    SimulatorConfig config =
        SimulatorConfig.of(
                DIR,
                List.of(
                    ProbeConfig.of(FRIDGE, UnitKind.FRIDGE)
                        .withFailure(Failure.during(FailureKind.DOOR_OPEN, at, Duration.ofMinutes(10)))))
            .withSeed(seed);
    SiteModel model = new SiteModel(config, T0);
    model.advanceTo(T0 + at.toMillis());
    assertThat(model.temperature(FRIDGE)).isBetween(2.0, 6.0);

    long exceededAfter = -1;
    for (long s = 1; s <= 600 && exceededAfter < 0; s++) {
      model.advanceTo(T0 + at.toMillis() + s * 1000);
      if (model.temperature(FRIDGE) > 6.0) {
        exceededAfter = s;
      }
    }

    assertThat(exceededAfter).isBetween(30L, 120L);
  }

  @Test
  void temperature_unknownRom_throws() {
    SiteModel model = new SiteModel(site(1), T0);

    assertThatThrownBy(() -> model.temperature("28-0000000000ff"))
        .isInstanceOf(InvalidValueException.class)
        .hasMessageStartingWith("rom [28-0000000000ff] must be one of");
  }
}
