package org.sangfroid.simulator.thermal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The presets of the new kinds against what UnitKind documents, on simulated time. */
class CabinetTest {
  private static final Duration STEP = Duration.ofSeconds(10);

  /** Hours until the air passes {@code limit} (upwards), or -1 within {@code maxHours}. */
  private static double hoursUntilAbove(Cabinet c, Cabinet.Conditions conditions, double limit, int maxHours) {
    for (long s = 0; s < maxHours * 3600L; s += STEP.toSeconds()) {
      c.step(STEP, conditions);
      if (c.temperature() > limit) {
        return s / 3600.0;
      }
    }
    return -1;
  }

  private static double[] range(Cabinet c, Cabinet.Conditions conditions, int hours) {
    double min = Double.MAX_VALUE;
    double max = -Double.MAX_VALUE;
    for (long s = 0; s < hours * 3600L; s += STEP.toSeconds()) {
      c.step(STEP, conditions);
      if (s > 3600) {
        min = Math.min(min, c.temperature());
        max = Math.max(max, c.temperature());
      }
    }
    return new double[] {min, max};
  }

  @ParameterizedTest
  @CsvSource({
      "ULT_FREEZER, -82, -78",
      "COLD_ROOM, 2.8, 5.2",
      "FRIDGE, 2.8, 5.2",
      "FREEZER, -31.2, -28.8",
  })
  void preset_normalDay_cyclesWithinItsBand(UnitKind kind, double low, double high) {
    ThermalParameters p = kind.parameters();
    double[] r = range(new Cabinet(p, p.setPoint(), false), Cabinet.Conditions.normal(22), 24);

    assertThat(r[0]).isBetween(low, p.setPoint());
    assertThat(r[1]).isBetween(p.setPoint(), high);
  }

  @Test
  void transportBox_atRoomTemperature_packsLastAbout4Point5HoursAndTheBoxPasses10AfterAbout5Point5() {
    Cabinet box = new Cabinet(UnitKind.TRANSPORT_BOX.parameters(), 5, false);
    double spentAt = -1;
    for (long s = 0; s < 8 * 3600 && box.temperature() <= 10; s += 10) {
      box.step(STEP, Cabinet.Conditions.normal(22));
      if (spentAt < 0 && box.exhausted()) {
        spentAt = s / 3600.0;
      }
    }

    assertThat(spentAt).isCloseTo(4.5, offset(0.2));
    assertThat(hoursUntilAbove(box, Cabinet.Conditions.normal(22), 10, 1)).isGreaterThanOrEqualTo(0);
  }

  @Test
  void transportBox_inAHotRoom_passes10Sooner() {
    double at22 = hoursUntilAbove(new Cabinet(UnitKind.TRANSPORT_BOX.parameters(), 5, false),
        Cabinet.Conditions.normal(22), 10, 12);
    double at35 = hoursUntilAbove(new Cabinet(UnitKind.TRANSPORT_BOX.parameters(), 5, false),
        Cabinet.Conditions.normal(35), 10, 12);

    assertThat(at22).isCloseTo(5.5, offset(0.1));
    assertThat(at35).isCloseTo(3.1, offset(0.1));
  }

  @ParameterizedTest
  @CsvSource({"30, false", "31, false", "35, true", "38, true"})
  void coldRoom_heatWave_holdsUpToAbout31Degrees(double ambient, boolean passes6) {
    Cabinet room = new Cabinet(UnitKind.COLD_ROOM.parameters(), 4, false);

    assertThat(hoursUntilAbove(room, Cabinet.Conditions.normal(ambient), 6, 48) >= 0).isEqualTo(passes6);
  }

  @Test
  void ultFreezer_compressorStop_passesMinus65AfterAbout4Hours() {
    Cabinet ult = new Cabinet(UnitKind.ULT_FREEZER.parameters(), -80, false);

    double hours = hoursUntilAbove(ult, new Cabinet.Conditions(22, 0, false, 0), -65, 12);

    assertThat(hours).isBetween(3.5, 4.5);
  }

  @Test
  void setPoint_changed_regulatesAroundTheNewOne() {
    Cabinet freezer = new Cabinet(UnitKind.FREEZER.parameters(), -30, false);
    freezer.setPoint(-18);
    range(freezer, Cabinet.Conditions.normal(22), 6); // about 3 hours to warm up to it

    double[] r = range(freezer, Cabinet.Conditions.normal(22), 24);

    assertThat(r[0]).isGreaterThan(-19.5);
    assertThat(r[1]).isLessThan(-16.5);
  }

  @Test
  void defrostHeater_warmsTheAirWhileTheCompressorIsOff() {
    Cabinet a = new Cabinet(UnitKind.FREEZER.parameters(), -30, false);
    Cabinet b = new Cabinet(UnitKind.FREEZER.parameters(), -30, false);

    for (int i = 0; i < 90; i++) {
      a.step(STEP, new Cabinet.Conditions(22, 0, false, 0));
      b.step(STEP, new Cabinet.Conditions(22, 0, false, 0.003));
    }

    assertThat(b.temperature() - a.temperature()).isCloseTo(0.003 * 900, offset(0.1));
  }

  @Test
  void doorLoad_twiceTheLoad_warmsFaster() {
    Cabinet usual = new Cabinet(UnitKind.FRIDGE.parameters(), 4, false);
    Cabinet wide = new Cabinet(UnitKind.FRIDGE.parameters(), 4, false);

    usual.step(Duration.ofSeconds(60), new Cabinet.Conditions(22, 1, false, 0));
    wide.step(Duration.ofSeconds(60), new Cabinet.Conditions(22, 2, false, 0));

    assertThat(usual.temperature()).isCloseTo(22 - 18 * Math.exp(-60.0 / 500), offset(1e-9));
    assertThat(wide.temperature()).isCloseTo(22 - 18 * Math.exp(-120.0 / 500), offset(1e-9));
  }
}
