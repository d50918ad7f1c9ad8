package org.sangfroid.agent.calibration;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import org.sangfroid.core.config.ConfigNode;
import org.sangfroid.core.wire.AgentStatus;

/**
 * Reads a probe's {@code calibration} section of the agent's configuration, recording every
 * problem at its line (see {@code AgentConfig} for the keys):
 *
 * <pre>
 * calibration:
 *   certificate: LAB-2026-0142   the certificate's id (1 to 64 characters)
 *   date: 2026-03-01             the day of the calibration (YYYY-MM-DD)
 *   due: 2027-03-01              the day it falls due, after date
 *   offset: -0.12                either: °C added to every reading (-5 to 5)
 *   points:                      or: two points, raw (the probe) and reference (the
 *     - {raw: 0.10, reference: 0.00}      reference thermometer), °C
 *     - {raw: 99.80, reference: 100.00}
 * </pre>
 */
public final class CalibrationConfig {
  /** The keys of a calibration section. */
  public static final List<String> KEYS = List.of("certificate", "date", "due", "offset", "points");
  private static final String DATE_RULE = "be a date written YYYY-MM-DD, such as 2026-03-01";

  private CalibrationConfig() {}

  /** The calibration at {@code node}; empty, with the problems recorded, when anything is wrong. */
  public static Optional<Calibration> read(ConfigNode node) {
    if (!node.expectMapping()) {
      return Optional.empty();
    }
    node.allowOnly(KEYS);
    Optional<String> certificate = node.require("certificate").flatMap(c -> c.text().map(String::strip).filter(id -> {
      if (!AgentStatus.certificateValid(id)) {
        c.invalid(AgentStatus.CERTIFICATE_RULE);
        return false;
      }
      return true;
    }));
    Optional<LocalDate> date = node.require("date").flatMap(CalibrationConfig::date);
    Optional<ConfigNode> dueNode = node.require("due");
    Optional<LocalDate> due = dueNode.flatMap(CalibrationConfig::date);
    if (date.isPresent() && due.isPresent()) {
      Optional<String> problem = Calibration.dueProblem(dueNode.get().path(), date.get(), due.get());
      if (problem.isPresent()) {
        dueNode.get().problem(problem.get());
        due = Optional.empty();
      }
    }
    Optional<Calibration.Correction> correction = correction(node);
    if (certificate.isEmpty() || date.isEmpty() || due.isEmpty() || correction.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new Calibration(certificate.get(), date.get(), due.get(), correction.get()));
  }

  private static Optional<LocalDate> date(ConfigNode n) {
    return n.text().flatMap(text -> {
      try {
        return Optional.of(LocalDate.parse(text.strip()));
      } catch (DateTimeParseException e) {
        n.invalid(DATE_RULE);
        return Optional.empty();
      }
    });
  }

  /** Exactly one of {@code offset} and {@code points}. */
  private static Optional<Calibration.Correction> correction(ConfigNode node) {
    Optional<ConfigNode> offsetNode = node.get("offset");
    Optional<ConfigNode> pointsNode = node.get("points");
    if (offsetNode.isPresent() && pointsNode.isPresent()) {
      pointsNode.get().problem(node.path() + " has both offset and points: keep one (offset for a check at one"
          + " temperature, points for a calibration at two).");
      return Optional.empty();
    }
    if (offsetNode.isEmpty() && pointsNode.isEmpty()) {
      node.problem(node.path() + " needs offset (a check at one temperature) or points (a calibration at two).");
      return Optional.empty();
    }
    if (offsetNode.isPresent()) {
      return node.decimal("offset").flatMap(offset -> {
        Optional<String> problem = Calibration.offsetProblem(offsetNode.get().path(), offset);
        problem.ifPresent(offsetNode.get()::problem);
        return problem.isEmpty() ? Optional.of(new Calibration.Offset(offset)) : Optional.empty();
      });
    }
    return twoPoint(pointsNode.get());
  }

  private static Optional<Calibration.Correction> twoPoint(ConfigNode list) {
    List<ConfigNode> items = list.elements();
    if (items.size() != 2) {
      list.invalid("list exactly two points, each {raw: …, reference: …}");
      return Optional.empty();
    }
    Optional<Calibration.Point> first = point(items.get(0));
    Optional<Calibration.Point> second = point(items.get(1));
    if (first.isEmpty() || second.isEmpty()) {
      return Optional.empty();
    }
    Optional<String> problem = Calibration.twoPointProblem(list.path(), first.get(), second.get());
    problem.ifPresent(list::problem);
    return problem.isEmpty() ? Optional.of(new Calibration.TwoPoint(first.get(), second.get())) : Optional.empty();
  }

  private static Optional<Calibration.Point> point(ConfigNode p) {
    if (!p.expectMapping()) {
      return Optional.empty();
    }
    p.allowOnly(List.of("raw", "reference"));
    boolean present = p.require("raw").isPresent() & p.require("reference").isPresent();
    Optional<Double> raw = p.decimal("raw");
    Optional<Double> reference = p.decimal("reference");
    if (!present || raw.isEmpty() || reference.isEmpty()) {
      return Optional.empty();
    }
    Optional<String> problem = Calibration.pointProblem(p.path() + ".reference", raw.get(), reference.get());
    problem.ifPresent(message -> p.get("reference").orElse(p).problem(message));
    return problem.isEmpty() ? Optional.of(new Calibration.Point(raw.get(), reference.get())) : Optional.empty();
  }
}
