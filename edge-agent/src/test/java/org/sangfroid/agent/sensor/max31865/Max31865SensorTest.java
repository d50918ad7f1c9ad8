package org.sangfroid.agent.sensor.max31865;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sangfroid.agent.sensor.SensorReading;
import org.sangfroid.agent.sensor.rtd.CallendarVanDusen;
import org.sangfroid.agent.testkit.FakeMax31865;
import org.sangfroid.agent.testkit.FakeTime;
import org.sangfroid.core.check.InvalidValueException;
import org.sangfroid.core.wire.Quality;

class Max31865SensorTest {
  private static final CallendarVanDusen PT100 = CallendarVanDusen.PT100;
  private static final CallendarVanDusen PT1000 = CallendarVanDusen.PT1000;
  /** One step of the 15-bit ratio with a 430 Ω reference is 0.0131 Ω, about 0.034 °C. */
  private static final double ONE_STEP_430 = 0.035;

  private final FakeTime time = new FakeTime();

  private static Max31865Sensor.Settings pt100(double rRef) {
    return new Max31865Sensor.Settings(3, PT100, rRef, 50);
  }

  private Max31865Sensor sensor(FakeMax31865 chip, Max31865Sensor.Settings settings) {
    return new Max31865Sensor("ult-1-pt100", chip, settings, time);
  }

  private static String hex(byte[] frame) {
    return HexFormat.of().formatHex(frame);
  }

  @ParameterizedTest(name = "{0} °C")
  @CsvSource({
      "0,    7620",   // 100/430 × 32768 = 7620.47
      "-80,  5207",   // a plasma / ULT freezer: 68.33 Ω
      "4,    7740",   // a blood fridge: 101.56 Ω
      "-30,  6723",
      "37,   8716"})
  void read_pt100With430OhmReference_givesTheTemperatureWithinOneStep(double celsius, int ratio) {
    FakeMax31865 chip = new FakeMax31865(time, 430).resistance(PT100.resistance(celsius));

    SensorReading r = sensor(chip, pt100(430)).read();

    assertThat(r.quality()).isEqualTo(Quality.OK);
    assertThat(r.celsius()).isCloseTo(celsius, within(ONE_STEP_430));
    // The value is exactly the curve at the ratio the chip reported.
    assertThat(r.celsius()).isCloseTo(PT100.temperature(ratio * 430 / 32768.0), within(1e-9));
  }

  @ParameterizedTest(name = "{0} °C")
  @CsvSource({"-80", "-30", "4", "25"})
  void read_pt1000With4300OhmReference_givesTheTemperatureWithinOneStep(double celsius) {
    FakeMax31865 chip = new FakeMax31865(time, 4300).resistance(PT1000.resistance(celsius));

    SensorReading r = sensor(chip, new Max31865Sensor.Settings(2, PT1000, 4300, 60)).read();

    assertThat(r.quality()).isEqualTo(Quality.OK);
    assertThat(r.celsius()).isCloseTo(celsius, within(ONE_STEP_430));
  }

  /** MAX31865 datasheet, table 9: PT100 with a 400 Ω reference, the RTD data registers (01h-02h). */
  @ParameterizedTest(name = "{0} °C: {1}h")
  @CsvSource({
      "-200, 0BDA",
      "-100, 2690",
      "-75,  2D04",
      "-50,  3366",
      "-30,  3876",
      "-10,  3D7E",
      "0,    4000",
      "10,   4280",
      "50,   4C6A",
      "100,  58A4",
      "250,  7C3A"})
  void read_datasheetTable9Registers_giveTheTableTemperature(double celsius, String register) {
    int rtd = Integer.parseInt(register, 16);
    FakeMax31865 chip = new FakeMax31865(time, 400).adcCode(rtd >> 1);

    SensorReading r = sensor(chip, pt100(400)).read();

    assertThat(r.quality()).isEqualTo(Quality.OK);
    // One step with 400 Ω is 0.0122 Ω; the table's resistances are rounded to 0.01 Ω.
    assertThat(r.celsius()).isCloseTo(celsius, within(0.04));
  }

  @Test
  void read_zeroDegreesWith430Ohms_recordedRegister3B88_readsZero() {
    // 0x3B88 >> 1 = 7620: the ratio the brief and the datasheet formula give for 100 Ω / 430 Ω.
    FakeMax31865 chip = new FakeMax31865(time, 430).adcCode(0x3B88 >> 1);

    SensorReading r = sensor(chip, pt100(430)).read();

    assertThat(r.quality()).isEqualTo(Quality.OK);
    assertThat(r.celsius()).isCloseTo(-0.0156, within(0.0001));
  }

  @Test
  void read_oneRead_followsTheDatasheetSequenceAndLeavesBiasOff() {
    FakeMax31865 chip = new FakeMax31865(time, 430).resistance(100.0);

    sensor(chip, pt100(430)).read();

    assertThat(chip.frames()).extracting(Max31865SensorTest::hex).containsExactly(
        "83e87c0b02",        // thresholds: 29758 (+850 °C) and 1409 (−200 °C), as 15-bit ratios << 1
        "8093",              // VBIAS on, 3-wire, 50 Hz filter, clear faults
        "0000000000000000",  // read back 00h-06h: is the chip there?
        "8095",              // automatic fault-detection cycle
        "0000",              // poll until D3:D2 self-clear
        "80b1",              // 1-shot conversion
        "0100000000000000",  // RTD MSB, LSB, thresholds, fault status
        "8011");             // VBIAS off
    assertThat(time.pauses()).containsExactly(Duration.ofMillis(10), Duration.ofMillis(1), Duration.ofMillis(66));
    assertThat(chip.config() & Max31865Sensor.BIAS).isZero();
    assertThat(chip.conversions()).isOne();
  }

  @ParameterizedTest(name = "{0} wires, {1} Hz")
  @CsvSource({
      "2, 60, 0x00",
      "3, 60, 0x10",
      "4, 60, 0x00",
      "2, 50, 0x01",
      "3, 50, 0x11",
      "4, 50, 0x01"})
  void read_wiresAndMains_setTheConfigurationBits(int wires, int mainsHz, String config) {
    FakeMax31865 chip = new FakeMax31865(time, 430).resistance(101.56);

    SensorReading r = sensor(chip, new Max31865Sensor.Settings(wires, PT100, 430, mainsHz)).read();

    assertThat(r.quality()).isEqualTo(Quality.OK);
    assertThat(chip.config()).isEqualTo(Integer.decode(config));
  }

  @Test
  void read_openElement_disconnectedAndFaultCleared() {
    FakeMax31865 chip = new FakeMax31865(time, 430).openElement();
    Max31865Sensor sensor = sensor(chip, pt100(430));

    assertThat(sensor.read()).isEqualTo(SensorReading.fault(Quality.DISCONNECTED));

    // RTD 0xFFFF: full scale with the fault bit; status 0xa0: D7 high threshold + D5 REFIN- > 0.85 × VBIAS.
    assertThat(hex(chip.responses().get(6))).isEqualTo("00ffffe87c0b02a0");
    assertThat(hex(chip.frames().get(7))).isEqualTo("8013"); // VBIAS off and clear the fault
    assertThat(chip.faultStatus()).isZero();
  }

  @Test
  void read_shortAcrossElement_outOfRange() {
    FakeMax31865 chip = new FakeMax31865(time, 430).shorted();

    assertThat(sensor(chip, pt100(430)).read()).isEqualTo(SensorReading.fault(Quality.OUT_OF_RANGE));
    assertThat(chip.faultStatus()).isZero();
  }

  @Test
  void read_forceMinusOpen_dataLookValidButTheFaultCycleSaysDisconnected() {
    FakeMax31865 chip = new FakeMax31865(time, 430).forceMinusOpen();

    assertThat(sensor(chip, pt100(430)).read()).isEqualTo(SensorReading.fault(Quality.DISCONNECTED));
  }

  @Test
  void read_inputBeyondTheRails_outOfRange() {
    FakeMax31865 chip = new FakeMax31865(time, 430).overVoltage(100.0);

    assertThat(sensor(chip, pt100(430)).read()).isEqualTo(SensorReading.fault(Quality.OUT_OF_RANGE));
  }

  @Test
  void read_resistanceAbove850Degrees_highThresholdButNotFullScale_outOfRange() {
    FakeMax31865 chip = new FakeMax31865(time, 430).resistance(420.0);

    assertThat(sensor(chip, pt100(430)).read()).isEqualTo(SensorReading.fault(Quality.OUT_OF_RANGE));
  }

  @Test
  void read_pt1000OnAPt100Setting_fullScaleSoDisconnected() {
    // 1000 Ω against 430 Ω saturates the ratio, which the chip cannot tell from an open element.
    FakeMax31865 chip = new FakeMax31865(time, 430).resistance(1000.0);

    assertThat(sensor(chip, pt100(430)).read()).isEqualTo(SensorReading.fault(Quality.DISCONNECTED));
  }

  @ParameterizedTest(name = "MISO stuck at {0}")
  @CsvSource({"0xFF", "0x00"})
  void read_noChipOnTheBus_disconnectedWithoutConverting(String level) {
    FakeMax31865 chip = new FakeMax31865(time, 430).absent(Integer.decode(level));

    assertThat(sensor(chip, pt100(430)).read()).isEqualTo(SensorReading.fault(Quality.DISCONNECTED));
    assertThat(time.pauses()).isEmpty();
  }

  @Test
  void read_busFails_disconnected() {
    FakeMax31865 chip = new FakeMax31865(time, 430).busFails();

    assertThat(sensor(chip, pt100(430)).read()).isEqualTo(SensorReading.fault(Quality.DISCONNECTED));
  }

  @Test
  void read_probeReconnectedAfterAnOpen_readsAgain() {
    FakeMax31865 chip = new FakeMax31865(time, 430).openElement();
    Max31865Sensor sensor = sensor(chip, pt100(430));
    assertThat(sensor.read().quality()).isEqualTo(Quality.DISCONNECTED);

    chip.resistance(PT100.resistance(-80));

    assertThat(sensor.read().celsius()).isCloseTo(-80, within(ONE_STEP_430));
  }

  @Test
  void read_interruptedWhileConverting_disconnectedKeepsTheInterruptAndSwitchesBiasOff() {
    FakeMax31865 chip = new FakeMax31865(time, 430).resistance(100.0);
    Max31865Sensor sensor = new Max31865Sensor("ult-1-pt100", chip, pt100(430), d -> {
      throw new InterruptedException();
    });

    try {
      assertThat(sensor.read()).isEqualTo(SensorReading.fault(Quality.DISCONNECTED));
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
    assertThat(chip.config() & Max31865Sensor.BIAS).isZero();
  }

  @Test
  void read_chipPowerCycledBetweenReads_thresholdsRewrittenAndReadsOn() {
    FakeMax31865 chip = new FakeMax31865(time, 430).resistance(100.0);
    Max31865Sensor sensor = sensor(chip, pt100(430));
    sensor.read();

    chip.powerCycle();
    assertThat(chip.thresholds()).containsExactly(0xff, 0xff, 0x00, 0x00);
    chip.openElement();

    // With the power-on thresholds an open element would still trip D7; ours are back in place.
    assertThat(sensor.read()).isEqualTo(SensorReading.fault(Quality.DISCONNECTED));
    assertThat(chip.thresholds()).containsExactly(0xe8, 0x7c, 0x0b, 0x02);
  }

  /** How each fault-status bit maps to a quality (datasheet tables 10-12; see the class comment). */
  @ParameterizedTest(name = "status {0}, fault bit {1}, ratio {2}: {3}")
  @CsvSource({
      "0x00, false, 7620,  OK",
      "0x00, false, 32767, DISCONNECTED",   // full scale without a threshold: still open
      "0x80, true,  32767, DISCONNECTED",   // D7 at full scale: open element
      "0x80, true,  30000, OUT_OF_RANGE",   // D7 below full scale: above +850 °C
      "0x40, true,  3,     OUT_OF_RANGE",   // D6: short across the element
      "0x20, true,  32767, DISCONNECTED",   // D5: REFIN- > 0.85 × VBIAS, open element
      "0x10, true,  7620,  DISCONNECTED",   // D4: FORCE- open
      "0x08, true,  7620,  DISCONNECTED",   // D3: FORCE- open
      "0x04, true,  7620,  OUT_OF_RANGE",   // D2: over/under voltage
      "0xA0, true,  32767, DISCONNECTED",   // open element seen both ways
      "0x44, true,  3,     OUT_OF_RANGE",
      "0x48, true,  3,     DISCONNECTED",   // open lead wins over a short reading
      "0x00, true,  7620,  OUT_OF_RANGE",   // fault bit without a status bit
      "0x03, false, 7620,  OK"})            // D1:D0 are unused
  void classify_faultStatus_givesQuality(String status, boolean faultBit, int ratio, Quality quality) {
    assertThat(Max31865Sensor.classify(Integer.decode(status), faultBit, ratio)).isEqualTo(quality);
  }

  @Test
  void describe_faultStatus_namesEveryBitForTheLog() {
    assertThat(Max31865Sensor.describe(0xFC, true, 32767)).isEqualTo("fault status 0xfc: RTD high threshold at full"
        + " scale (open RTD element), RTD low threshold (shorted RTD element), REFIN- > 0.85 x VBIAS (open RTD"
        + " element), REFIN- < 0.85 x VBIAS (FORCE- open), RTDIN- < 0.85 x VBIAS (FORCE- open), over/under"
        + " voltage on an input");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
      1, 100, 430, 50    | "wires [1] must be 2, 3 or 4."
      5, 100, 430, 50    | "wires [5] must be 2, 3 or 4."
      3, 100, 150, 50    | "rRef [150.0] must be from 200 to 1000 ohms for a PT100 (2 to 10 × R0)."
      3, 100, 4300, 50   | "rRef [4300.0] must be from 200 to 1000 ohms for a PT100 (2 to 10 × R0)."
      3, 1000, 430, 50   | "rRef [430.0] must be from 2000 to 10000 ohms for a PT1000 (2 to 10 × R0)."
      3, 100, NaN, 50    | "rRef [NaN] must be from 200 to 1000 ohms for a PT100 (2 to 10 × R0)."
      3, 100, 430, 55    | "mainsHz [55] must be 50 or 60."
      """)
  void settings_nonsense_throwsWithTheRule(String values, String message) {
    String[] v = values.split(",\\s*");
    assertThatThrownBy(() -> new Max31865Sensor.Settings(Integer.parseInt(v[0]),
        CallendarVanDusen.forR0(Integer.parseInt(v[1])), Double.parseDouble(v[2]), Integer.parseInt(v[3])))
        .isInstanceOf(InvalidValueException.class)
        .hasMessage(message);
  }

  @Test
  void settings_defaultReference_isWhatCommonBoardsCarry() {
    assertThat(Max31865Sensor.Settings.defaultReferenceOhms(PT100)).isCloseTo(430, within(1e-9));
    assertThat(Max31865Sensor.Settings.defaultReferenceOhms(PT1000)).isCloseTo(4300, within(1e-9));
  }

  @Test
  void new_badId_throws() {
    FakeMax31865 chip = new FakeMax31865(time, 430);

    assertThatThrownBy(() -> new Max31865Sensor("pt 1", chip, pt100(430), time))
        .isInstanceOf(InvalidValueException.class)
        .hasMessageStartingWith("sensor [pt 1] must be");
  }

  @Test
  void read_eachRead_convertsOnceAndTakesAbout77Milliseconds() {
    FakeMax31865 chip = new FakeMax31865(time, 430).resistance(100.0);
    Max31865Sensor sensor = sensor(chip, pt100(430));

    List.of(1, 2, 3).forEach(i -> sensor.read());

    assertThat(chip.conversions()).isEqualTo(3);
    assertThat(time.paused()).isEqualTo(Duration.ofMillis(3 * 77));
  }
}
