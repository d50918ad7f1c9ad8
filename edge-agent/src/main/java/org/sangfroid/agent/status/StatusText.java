package org.sangfroid.agent.status;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A {@link StatusReport} in words, for {@code sangfroid-agent status}. */
public final class StatusText {
  private StatusText() {}

  /** The report, one line each, for a technician on the device. */
  public static List<String> lines(StatusReport r) {
    List<String> out = new ArrayList<>();
    out.add("Agent " + r.site() + "/" + r.agent() + ", version " + r.version() + ", running since " + r.startedAt()
        + "; status at " + r.at());
    StatusReport.Connection c = r.connection();
    out.add("Broker:      " + (c.connected() ? "connected to " + c.broker()
        : "NOT CONNECTED to " + c.broker() + (c.problem() == null ? " (connecting)" : ": " + c.problem())));
    StatusReport.OutboxState o = r.outbox();
    out.add("Outbox:      " + o.depth() + " readings waiting for the gateway (at most " + o.maxReadings() + ")"
        + (o.oldestUnsent() == null ? "" : "; oldest measured " + o.oldestUnsent() + " (" + age(o.oldestUnsentAgeSeconds())
            + " ago)"));
    out.add("             acknowledged by the gateway up to seq " + o.ackedUpTo() + ", last seq given " + o.lastSeq()
        + "; " + o.dropped() + " dropped because the outbox was full"
        + (o.droppedFromExcursions() > 0 ? " (" + o.droppedFromExcursions() + " from excursion periods)" : ""));
    if (o.recovery() != null) {
      StatusReport.RecoveryState rec = o.recovery();
      out.add("             at this start the outbox file " + (rec.kind().equals("MISSING") ? "was missing"
          : "was damaged (" + rec.problem() + ") and moved to " + rec.movedTo()) + "; new readings numbered from seq "
          + (rec.continuedAfter() + 1));
    }
    for (String f : o.corruptFiles()) {
      out.add("             damaged outbox kept aside: " + f);
    }
    out.add("             stored in " + o.file());
    out.add("Probes:");
    int unitWidth = r.probes().stream().mapToInt(p -> p.unit().length()).max().orElse(0);
    int sensorWidth = r.probes().stream().mapToInt(p -> p.sensor().length()).max().orElse(0);
    for (StatusReport.ProbeState p : r.probes()) {
      String reading = p.quality() == null ? "not read yet"
          : p.celsius() != null ? String.format(Locale.ROOT, "%.3f °C", p.celsius()) : p.quality();
      String when = p.readAgeSeconds() == null ? "" : "read " + age(p.readAgeSeconds()) + " ago";
      String faults = p.faults() == 0 ? "" : ", " + p.faults() + " faults since start, last valid "
          + (p.lastValidAt() == null ? "never since start" : p.lastValidAt());
      String calibration = p.calibrationDue() == null ? ""
          : Boolean.TRUE.equals(p.calibrationOverdue()) ? ", CALIBRATION OVERDUE (due " + p.calibrationDue() + ")"
          : ", calibration due " + p.calibrationDue();
      out.add(String.format(Locale.ROOT, "  %-" + unitWidth + "s  %-" + sensorWidth + "s  %-9s %-14s %s%s%s",
          p.unit(), p.sensor(), p.type(), reading, when, faults, calibration).stripTrailing());
    }
    StatusReport.LocalAlarm a = r.localAlarm();
    if (a.units().isEmpty()) {
      out.add("Local alarm: quiet");
    } else {
      for (StatusReport.UnitAlarm u : a.units()) {
        out.add("Local alarm: " + (u.alarm() ? "ALARM" : "warning") + " on " + u.unit() + " (" + String.join(", ",
            u.kinds()) + ")");
      }
      if (a.units().stream().anyMatch(StatusReport.UnitAlarm::alarm)) {
        out.add("             buzzer " + (a.sounding() ? "sounding" : a.muted() ? "muted" : "off"));
      }
    }
    List<String> attention = attention(r);
    if (attention.isEmpty()) {
      out.add("All is well.");
    } else {
      out.add("Needs attention:");
      attention.forEach(line -> out.add("  - " + line));
    }
    return out;
  }

  /** What needs a person now; empty when all is well. */
  public static List<String> attention(StatusReport r) {
    List<String> out = new ArrayList<>();
    if (!r.connection().connected()) {
      out.add("not connected to the broker: readings wait in the outbox");
    }
    for (StatusReport.ProbeState p : r.probes()) {
      if (p.quality() != null && !p.quality().equals("ok")) {
        out.add("probe " + p.sensor() + " of " + p.unit() + " reads " + p.quality());
      }
      if (Boolean.TRUE.equals(p.calibrationOverdue())) {
        out.add("probe " + p.sensor() + " of " + p.unit() + ": calibration " + p.calibrationCertificate()
            + " was due on " + p.calibrationDue() + ": have it calibrated, or replace it");
      }
    }
    for (StatusReport.UnitAlarm u : r.localAlarm().units()) {
      if (u.alarm()) {
        out.add("unit " + u.unit() + " is in alarm: " + String.join(", ", u.kinds()));
      }
    }
    if (!r.outbox().corruptFiles().isEmpty()) {
      out.add(r.outbox().corruptFiles().size() + " damaged outbox file(s) kept aside in the data folder: keep them with"
          + " the unit's records, check the SD card, then remove them");
    }
    return out;
  }

  /** {@code 42 s}, {@code 3 min}, {@code 5 h 10 min}, {@code 2 d 3 h}. */
  static String age(Long seconds) {
    if (seconds == null) {
      return "?";
    }
    long s = seconds;
    if (s < 120) {
      return s + " s";
    }
    if (s < 3600) {
      return s / 60 + " min";
    }
    if (s < 86_400) {
      return s / 3600 + " h " + s % 3600 / 60 + " min";
    }
    return s / 86_400 + " d " + s % 86_400 / 3600 + " h";
  }
}
