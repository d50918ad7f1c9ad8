package org.sangfroid.agent.selftest;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import org.sangfroid.agent.calibration.Calibration;
import org.sangfroid.agent.config.AgentConfig;
import org.sangfroid.agent.publish.MqttPublisher;
import org.sangfroid.agent.sample.Probe;
import org.sangfroid.agent.sensor.Ds18b20Sensor;
import org.sangfroid.agent.sensor.SensorReading;
import org.sangfroid.agent.sensor.bus.Buses;
import org.sangfroid.agent.sensor.bus.Pause;
import org.sangfroid.agent.sensor.coap.CoapNodes;
import org.sangfroid.agent.sensor.max31865.Max31865Sensor;
import org.sangfroid.agent.sensor.sht.ShtSensor;
import org.sangfroid.core.check.Checks;
import org.sangfroid.core.excursion.Profile;
import org.sangfroid.core.excursion.Profiles;
import org.sangfroid.core.wire.Quality;

/**
 * What a technician runs before leaving a site: reads every probe of the configuration once with
 * its real driver, checks that the value lies in the unit's acceptable range (its profile's) and
 * that the probe's calibration is recorded and not overdue, and connects to the broker as the
 * agent would. Every check gives one {@link Row}; the test passes only if every row does.
 */
public final class SelfTest {
  /** A calibration falling due this soon still passes, with a reminder. */
  public static final Duration DUE_SOON = Duration.ofDays(30);

  /**
   * One line of the table.
   *
   * @param probe the probe's id, or {@code broker}
   * @param value what was read (empty on the lines after a probe's first)
   * @param check {@code reading}, {@code range}, {@code calibration} or {@code connect}
   * @param detail why it passed or failed, for the technician
   */
  public record Row(String probe, String value, String check, boolean pass, String detail) {}

  /** Every row, in configuration order, the broker last. */
  public record Report(List<Row> rows) {
    public Report {
      rows = List.copyOf(rows);
    }

    /** True when every check passed. */
    public boolean passed() {
      return rows.stream().allMatch(Row::pass);
    }

    /** How many checks failed. */
    public long failures() {
      return rows.stream().filter(r -> !r.pass()).count();
    }
  }

  private final AgentConfig config;
  private final Clock clock;
  private final Supplier<? extends Buses> busFactory;
  private final Pause pause;
  private final Duration timeout;
  private Buses buses;
  private String busProblem = "";

  private SelfTest(AgentConfig config, Clock clock, Supplier<? extends Buses> buses, Pause pause, Duration timeout) {
    this.config = config;
    this.clock = clock;
    this.busFactory = buses;
    this.pause = pause;
    this.timeout = timeout;
  }

  /**
   * Runs every check. Blocking: each DS18B20 takes about 0.75 s, each CoAP node and the broker up
   * to {@code timeout}.
   *
   * @param clock today's date for the calibration checks
   * @param buses opens SPI and I2C, only if a probe needs them; closed before returning
   * @param timeout how long to wait for each CoAP node and for the broker
   */
  public static Report run(AgentConfig config, Clock clock, Supplier<? extends Buses> buses, Pause pause,
      Duration timeout) {
    SelfTest t = new SelfTest(Checks.requireNonNull("config", config), Checks.requireNonNull("clock", clock),
        Checks.requireNonNull("buses", buses), Checks.requireNonNull("pause", pause),
        Checks.requireNonNull("timeout", timeout));
    List<Row> rows = new ArrayList<>();
    try (CoapNodes coap = new CoapNodes(clock, new SimpleMeterRegistry())) {
      for (AgentConfig.Unit unit : config.units()) {
        Profile profile = Profiles.byId(unit.profile()).orElseThrow();
        for (AgentConfig.Sensor s : unit.sensors()) {
          t.probe(unit, profile, s, coap, rows);
        }
      }
    } finally {
      if (t.buses != null) {
        t.buses.close();
      }
    }
    rows.add(t.broker());
    return new Report(rows);
  }

  private void probe(AgentConfig.Unit unit, Profile profile, AgentConfig.Sensor s, CoapNodes coap, List<Row> rows) {
    String coapDetail = "";
    SensorReading raw;
    AgentConfig.Driver driver = s.driver();
    if (driver instanceof AgentConfig.Coap c) {
      CoapNodes.Answer a = coap.read(c.node(), timeout);
      raw = a.reading();
      coapDetail = a.detail();
    } else if (driver instanceof AgentConfig.Max31865 m) {
      raw = new Max31865Sensor(s.id(), buses().spi(m.spi(), Max31865Sensor.SPI_MODE, Max31865Sensor.SPI_CLOCK_HZ),
          m.settings(), pause).read();
    } else if (driver instanceof AgentConfig.Sht sht) {
      raw = new ShtSensor(s.id(), sht.model(), buses().i2c(sht.i2c()), pause).read();
    } else {
      raw = new Ds18b20Sensor(config.onewire().path(), s.id()).read();
    }
    Probe.Corrected r = Probe.correct(raw, s.calibration());
    if (r.reading().quality() != Quality.OK) {
      rows.add(new Row(s.id(), r.reading().quality().wire(), "reading", false, why(s, r.reading().quality(),
          coapDetail)));
    } else {
      double v = r.reading().celsius();
      String value = celsius(v) + (r.raw().isPresent() ? " (raw " + celsius(r.raw().getAsDouble()) + ")" : "");
      rows.add(new Row(s.id(), value, "reading", true, "unit " + unit.id()));
      boolean inRange = v >= profile.low() && v <= profile.high();
      String range = range(profile) + " (" + unit.profile() + ")";
      rows.add(new Row(s.id(), "", "range", inRange, inRange ? range
          : "outside " + range + ": is the unit at its temperature, and this probe in it?"));
    }
    rows.add(calibration(s.id(), s.calibration()));
  }

  private Row calibration(String id, Optional<Calibration> calibration) {
    if (calibration.isEmpty()) {
      return new Row(id, "", "calibration", false,
          "none in the configuration: add its certificate, date, due and offset or points");
    }
    Calibration c = calibration.get();
    LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    if (c.date().isAfter(today)) {
      return new Row(id, "", "calibration", false, c.certificate() + " is dated " + c.date() + ", after today ("
          + today + "): check the date, or the device's clock");
    }
    if (c.overdueAt(clock.millis())) {
      return new Row(id, "", "calibration", false, c.certificate() + " was due on " + c.due()
          + ": have the probe calibrated, or replace it");
    }
    long days = ChronoUnit.DAYS.between(today, c.due());
    String soon = days <= DUE_SOON.toDays() ? " (in " + days + " days: plan the calibration)" : "";
    return new Row(id, "", "calibration", true, c.certificate() + ", due " + c.due() + soon);
  }

  private Row broker() {
    MqttPublisher.Settings settings = MqttPublisher.Settings.from(config, "self-test", clock.millis());
    Optional<String> problem = MqttPublisher.checkConnection(settings, timeout);
    String who = config.broker().username().map(u -> "as " + u).orElse("without a user name");
    return problem.isEmpty()
        ? new Row("broker", config.broker().url(), "connect", true, who)
        : new Row("broker", config.broker().url(), "connect", false, who + ": " + problem.get());
  }

  private Buses buses() {
    if (buses == null) {
      try {
        buses = Checks.requireNonNull("buses", busFactory.get());
      } catch (RuntimeException | LinkageError e) {
        busProblem = "SPI and I2C cannot be used here (" + e.getMessage() + ")";
        buses = Buses.unavailable(busProblem);
      }
    }
    return buses;
  }

  /** What a technician should look at when a probe gives no value. */
  private String why(AgentConfig.Sensor s, Quality q, String coapDetail) {
    if (s.driver() instanceof AgentConfig.Coap) {
      return coapDetail.isEmpty() ? "the node gave no temperature" : coapDetail;
    }
    return switch (q) {
      case CRC_ERROR -> "its answer failed the checksum: check the cable, the connections and the pull-up";
      case OUT_OF_RANGE -> "it gave a value outside what it can measure: check the wiring, or replace the probe";
      case POWER_ON_RESET -> "it gave its power-on value, not a measurement: check its power supply wire";
      default -> switch (s.type()) {
        case DS18B20 -> Files.isDirectory(config.onewire().path().resolve(s.id()))
            ? "listed on the bus but not answering: check its data wire and the pull-up"
            : "not found under " + config.onewire().path() + ": check the wiring, or the id ('discover' lists the"
                + " probes present)";
        case MAX31865 -> !busProblem.isEmpty() ? busProblem
            : "no answer on SPI " + ((AgentConfig.Max31865) s.driver()).spi() + ": is SPI enabled and the board"
                + " wired, and is the probe connected to it?";
        case SHT3X, SHT4X -> !busProblem.isEmpty() ? busProblem
            : "no answer on I2C " + ((AgentConfig.Sht) s.driver()).i2c() + ": is I2C enabled and the sensor wired?";
        case COAP -> "the node gave no temperature";
      };
    };
  }

  private static String range(Profile p) {
    if (p.hasLow() && p.hasHigh()) {
      return celsiusShort(p.low()) + " to " + celsiusShort(p.high()) + " °C";
    }
    return p.hasHigh() ? "at or below " + celsiusShort(p.high()) + " °C"
        : "at or above " + celsiusShort(p.low()) + " °C";
  }

  private static String celsius(double c) {
    return String.format(Locale.ROOT, "%.3f °C", c);
  }

  private static String celsiusShort(double c) {
    return String.format(Locale.ROOT, "%+.1f", c);
  }
}
