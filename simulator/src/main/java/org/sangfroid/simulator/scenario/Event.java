package org.sangfroid.simulator.scenario;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.sangfroid.core.check.Checks;
import org.sangfroid.core.wire.Quality;

/**
 * Something that happens in a scenario, {@code at} a simulated time after the start, for
 * {@code duration} or (when a duration is optional and absent) until the end of the run.
 */
public sealed interface Event {
  /** Simulated time from the start of the run to the start of the event. */
  Duration at();

  /** How long it lasts; empty: until the end of the run. */
  Optional<Duration> duration();

  /** The name used in scenario files, e.g. {@code door-open}. */
  String type();

  /** Whether it is under way {@code elapsed} after the start: from {@code at}, inclusive, to its end, exclusive. */
  default boolean activeAt(Duration elapsed) {
    if (elapsed.compareTo(at()) < 0) {
      return false;
    }
    return duration().map(d -> elapsed.compareTo(at().plus(d)) < 0).orElse(true);
  }

  /** When it ends, if it does. */
  default Optional<Duration> end() {
    return duration().map(d -> at().plus(d));
  }

  private static void check(Duration at, Optional<Duration> duration) {
    Checks.requireNonNull("at", at);
    Checks.require(!at.isNegative(), "at", at, "be 0s or later");
    Checks.requireNonNull("duration", duration);
    duration.ifPresent(d -> Checks.require(d.toMillis() > 0, "duration", d, "be positive"));
  }

  /**
   * The door of {@code unit} stands open ({@code door-open}); the agent's door contact reports it.
   *
   * @param load how hard the opening exchanges heat with the room, 1 = the kind's usual opening
   *     (the door-open time constant is divided by it)
   */
  record DoorOpen(String unit, Duration at, Optional<Duration> duration, double load) implements Event {
    public DoorOpen {
      check(at, duration);
      Checks.require(duration.isPresent(), "duration", duration, "be given for a door opening");
      Checks.require(load > 0 && Double.isFinite(load), "load", load, "be above 0");
    }

    @Override
    public String type() {
      return "door-open";
    }
  }

  /** The compressor (or an incubator's heater) of {@code unit} stops working ({@code compressor-failure}). */
  record ActuatorFailure(String unit, Duration at, Optional<Duration> duration) implements Event {
    public ActuatorFailure {
      check(at, duration);
    }

    @Override
    public String type() {
      return "compressor-failure";
    }
  }

  /**
   * The mains power of {@code units} is off ({@code power-cut}): their compressors and heaters
   * stop; the agents run on their UPS and report it on their mains-sense line.
   */
  record PowerCut(List<String> units, Duration at, Optional<Duration> duration) implements Event {
    public PowerCut {
      check(at, duration);
      units = List.copyOf(units);
    }

    @Override
    public String type() {
      return "power-cut";
    }
  }

  /** An extra defrost of {@code unit} ({@code defrost}): compressor off, defrost heater on. */
  record Defrost(String unit, Duration at, Optional<Duration> duration) implements Event {
    public Defrost {
      check(at, duration);
      Checks.require(duration.isPresent(), "duration", duration, "be given for a defrost");
    }

    @Override
    public String type() {
      return "defrost";
    }
  }

  /** The thermostat of {@code unit} is set to {@code celsius} ({@code set-point}): a turned dial, a faulty controller. */
  record SetPoint(String unit, Duration at, Optional<Duration> duration, double celsius) implements Event {
    public SetPoint {
      check(at, duration);
      Checks.requireFinite("celsius", celsius);
    }

    @Override
    public String type() {
      return "set-point";
    }
  }

  /** The room around {@code units} is at {@code ambient} °C ({@code heat-wave}). */
  record HeatWave(List<String> units, Duration at, Optional<Duration> duration, double ambient) implements Event {
    public HeatWave {
      check(at, duration);
      units = List.copyOf(units);
      Checks.requireFinite("ambient", ambient);
    }

    @Override
    public String type() {
      return "heat-wave";
    }
  }

  /** The platelet agitator of {@code unit} stops ({@code agitator-stop}); its motion sensor reports it. */
  record AgitatorStop(String unit, Duration at, Optional<Duration> duration) implements Event {
    public AgitatorStop {
      check(at, duration);
    }

    @Override
    public String type() {
      return "agitator-stop";
    }
  }

  /**
   * The driver of {@code probe} reports {@code quality} instead of a temperature:
   * {@code probe-disconnect}, {@code probe-crc-error}, {@code probe-power-on-reset}.
   */
  record ProbeFault(String probe, Duration at, Optional<Duration> duration, Quality quality) implements Event {
    public ProbeFault {
      check(at, duration);
      Checks.require(quality != null && quality != Quality.OK, "quality", quality, "be a fault");
    }

    @Override
    public String type() {
      return switch (quality) {
        case CRC_ERROR -> "probe-crc-error";
        case POWER_ON_RESET -> "probe-power-on-reset";
        case OUT_OF_RANGE -> "probe-out-of-range";
        default -> "probe-disconnect";
      };
    }
  }

  /** {@code probe} repeats the last value it read ({@code probe-stuck}): nothing tells, but the value never moves. */
  record ProbeStuck(String probe, Duration at, Optional<Duration> duration) implements Event {
    public ProbeStuck {
      check(at, duration);
    }

    @Override
    public String type() {
      return "probe-stuck";
    }
  }

  /** {@code probe} drifts by {@code perDay} °C a day from {@code at} ({@code probe-drift}). */
  record ProbeDrift(String probe, Duration at, Optional<Duration> duration, double perDay) implements Event {
    public ProbeDrift {
      check(at, duration);
      Checks.require(perDay != 0 && Double.isFinite(perDay), "perDay", perDay, "be a drift in °C a day, not 0");
    }

    @Override
    public String type() {
      return "probe-drift";
    }

    /** The drift accumulated {@code elapsed} after the start, °C (it stops growing at the event's end). */
    public double driftAt(Duration elapsed) {
      if (elapsed.compareTo(at) <= 0) {
        return 0;
      }
      Duration until = end().filter(e -> e.compareTo(elapsed) < 0).orElse(elapsed);
      return perDay * until.minus(at).toMillis() / 86_400_000.0;
    }
  }

  /** {@code probe} has fallen out of its glycol bottle and reads the air ({@code probe-out-of-glycol}). */
  record ProbeOutOfBuffer(String probe, Duration at, Optional<Duration> duration) implements Event {
    public ProbeOutOfBuffer {
      check(at, duration);
    }

    @Override
    public String type() {
      return "probe-out-of-glycol";
    }
  }

  /** {@code agent} cannot reach the broker ({@code network-loss}): it keeps sampling into its outbox. */
  record NetworkLoss(String agent, Duration at, Optional<Duration> duration) implements Event {
    public NetworkLoss {
      check(at, duration);
    }

    @Override
    public String type() {
      return "network-loss";
    }
  }

  /**
   * {@code agent} is down ({@code agent-crash}): no readings are taken until it restarts; its
   * outbox (on disk) keeps what it held.
   */
  record AgentCrash(String agent, Duration at, Optional<Duration> duration) implements Event {
    public AgentCrash {
      check(at, duration);
      Checks.require(duration.isPresent(), "duration", duration, "be given for a crash (the agent restarts after it)");
    }

    @Override
    public String type() {
      return "agent-crash";
    }
  }

  /**
   * The clock of {@code agent} is {@code behind} the true time and not yet synchronised
   * ({@code clock-unsynced}), as on a Pi without a real-time clock after a boot: its readings
   * are stamped {@code behind} too early and flagged unsynchronised.
   */
  record ClockUnsynced(String agent, Duration at, Optional<Duration> duration, Duration behind) implements Event {
    public ClockUnsynced {
      check(at, duration);
      Checks.require(duration.isPresent(), "duration", duration, "be given (the time until the clock synchronises)");
      Checks.require(behind != null && behind.toMillis() > 0, "behind", behind, "be positive");
    }

    @Override
    public String type() {
      return "clock-unsynced";
    }
  }
}
