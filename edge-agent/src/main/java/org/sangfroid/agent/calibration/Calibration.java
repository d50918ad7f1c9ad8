package org.sangfroid.agent.calibration;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Optional;
import org.sangfroid.core.check.Checks;
import org.sangfroid.core.check.InvalidValueException;
import org.sangfroid.core.wire.AgentStatus;

/**
 * A probe's calibration certificate and the correction it gives.
 *
 * <p>Sanity limits (design defaults, not from a standard): a correction of more than
 * {@value #MAX_CORRECTION} °C at a calibration point, or a two-point slope outside
 * {@value #MIN_SLOPE} to {@value #MAX_SLOPE}, is refused as a typing error or a faulty probe. For
 * comparison, a DS18B20 is specified to ±0.5 °C and a class B PT100 to ±0.7 °C at −80 °C
 * (standards.md §6).
 *
 * @param certificate the certificate's id, as the laboratory wrote it
 * @param date the day the probe was calibrated
 * @param due the day the calibration falls due: from 00:00 UTC that day it is overdue
 * @param correction how a raw reading becomes the corrected one
 */
public record Calibration(String certificate, LocalDate date, LocalDate due, Correction correction) {
  /** The largest correction at a calibration point, °C (D). */
  public static final double MAX_CORRECTION = 5.0;
  /** The smallest slope two points may give (D). */
  public static final double MIN_SLOPE = 0.9;
  /** The largest slope two points may give (D). */
  public static final double MAX_SLOPE = 1.1;

  public Calibration {
    Checks.require(AgentStatus.certificateValid(certificate), "calibration.certificate", certificate,
        AgentStatus.CERTIFICATE_RULE);
    Checks.requireNonNull("calibration.date", date);
    Checks.requireNonNull("calibration.due", due);
    dueProblem("calibration.due", date, due).ifPresent(Calibration::fail);
    Checks.requireNonNull("calibration.correction", correction);
  }

  /** How a raw reading becomes the corrected one. */
  public sealed interface Correction permits Offset, TwoPoint {
    /** The corrected value of {@code raw}, °C, not rounded. */
    double apply(double raw);
  }

  /** Adds {@code celsius} to every reading. */
  public record Offset(double celsius) implements Correction {
    public Offset {
      offsetProblem("calibration.offset", celsius).ifPresent(Calibration::fail);
    }

    @Override
    public double apply(double raw) {
      return raw + celsius;
    }
  }

  /** The probe read {@code raw} where the reference thermometer read {@code reference}. */
  public record Point(double raw, double reference) {
    public Point {
      Checks.requireFinite("raw", raw);
      Checks.requireFinite("reference", reference);
      pointProblem("calibration.points.reference", raw, reference).ifPresent(Calibration::fail);
    }
  }

  /** The straight line through two calibration points, extended beyond them. */
  public record TwoPoint(Point first, Point second) implements Correction {
    public TwoPoint {
      Checks.requireNonNull("first", first);
      Checks.requireNonNull("second", second);
      twoPointProblem("calibration.points", first, second).ifPresent(Calibration::fail);
    }

    /** Reference change per degree of raw change. */
    public double slope() {
      return (second.reference() - first.reference()) / (second.raw() - first.raw());
    }

    @Override
    public double apply(double raw) {
      return first.reference() + (raw - first.raw()) * slope();
    }
  }

  /** The corrected value of a valid {@code raw} reading, rounded to 0.001 °C. */
  public double apply(double raw) {
    double corrected = Math.round(correction.apply(raw) * 1000) / 1000.0;
    return corrected == 0 ? 0.0 : corrected; // never -0.0
  }

  private static void fail(String message) {
    throw new InvalidValueException(message);
  }

  /** 00:00 UTC of the due date, epoch ms. */
  public long dueAt() {
    return due.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
  }

  /** True when {@code now} (epoch ms) is at or past {@link #dueAt()}. */
  public boolean overdueAt(long now) {
    return now >= dueAt();
  }

  /** What is wrong with a due date {@code due} at {@code field}, as a message; empty when it is fine. */
  static Optional<String> dueProblem(String field, LocalDate date, LocalDate due) {
    return due.isAfter(date) ? Optional.empty()
        : Optional.of(Checks.message(field, due, "be after the calibration date (" + date + ")"));
  }

  /** What is wrong with an offset at {@code field}, as a message; empty when it is fine. */
  static Optional<String> offsetProblem(String field, double celsius) {
    if (Double.isFinite(celsius) && Math.abs(celsius) <= MAX_CORRECTION) {
      return Optional.empty();
    }
    return Optional.of(Checks.message(field, celsius, String.format(Locale.ROOT, "be from -%.0f to %.0f °C (a larger"
        + " correction means a faulty probe or a typing error)", MAX_CORRECTION, MAX_CORRECTION)));
  }

  /** What is wrong with one point, as a message about its reference at {@code field}; empty when fine. */
  static Optional<String> pointProblem(String field, double raw, double reference) {
    if (Math.abs(reference - raw) <= MAX_CORRECTION) {
      return Optional.empty();
    }
    return Optional.of(Checks.message(field, reference, String.format(Locale.ROOT, "be within %.0f °C of the"
        + " probe's raw value (a larger correction means a faulty probe or a typing error)", MAX_CORRECTION),
        "raw " + raw));
  }

  /** What is wrong with two points together at {@code field}, as a message; empty when they are fine. */
  static Optional<String> twoPointProblem(String field, Point first, Point second) {
    String shown = "raw " + first.raw() + " and " + second.raw();
    if (first.raw() == second.raw()) {
      return Optional.of(Checks.message(field, shown,
          "have two different raw values (the probe measured at two temperatures)"));
    }
    double slope = (second.reference() - first.reference()) / (second.raw() - first.raw());
    if (slope >= MIN_SLOPE && slope <= MAX_SLOPE) {
      return Optional.empty();
    }
    return Optional.of(Checks.message(field, shown, String.format(Locale.ROOT, "give a slope from %.1f to %.1f"
        + " (check that raw and reference are not swapped or mistyped)", MIN_SLOPE, MAX_SLOPE),
        String.format(Locale.ROOT, "%.3f", slope)));
  }
}
