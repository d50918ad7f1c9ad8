package org.sangfroid.agent.status;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import org.sangfroid.agent.alarm.AlarmPanel;
import org.sangfroid.agent.calibration.Calibration;
import org.sangfroid.agent.outbox.Outbox;
import org.sangfroid.agent.outbox.Recovery;
import org.sangfroid.core.excursion.AlarmKind;

/**
 * The state of a running agent, as {@code GET /status} serves it in JSON and
 * {@code sangfroid-agent status} prints it. Times are UTC ISO-8601 text; ages are whole seconds
 * at {@code at}, the agent's clock when the report was made. Absent values are {@code null};
 * readers ignore fields they do not know, so later versions may add some.
 *
 * @param v the format's version, 1
 */
public record StatusReport(int v, String site, String agent, String version, String startedAt, String at,
    OutboxState outbox, Connection connection, List<ProbeState> probes, LocalAlarm localAlarm) {

  /** The version of this format. */
  public static final int VERSION = 1;

  /**
   * @param oldestUnsent measurement time of the oldest reading the gateway has not acked
   * @param corruptFiles damaged outboxes moved aside and still in the data folder
   * @param recovery what the outbox did at this start about a damaged or missing file
   */
    public record OutboxState(String file, long depth, long maxReadings, String oldestUnsent, Long oldestUnsentAgeSeconds,
      long dropped, long droppedFromExcursions, long lastSeq, long ackedUpTo, List<String> corruptFiles,
      RecoveryState recovery) {}

  /** See {@link Recovery}. */
    public record RecoveryState(String kind, String movedTo, String problem, long continuedAfter, String at) {}

  /** @param problem why the last connect failed, while not connected */
    public record Connection(String broker, boolean connected, String problem) {}

  /**
   * @param quality the latest reading's quality ({@code ok}, {@code disconnected}, ...); null
   *     before the first tick
   * @param celsius the latest reading when it is valid
   * @param faults readings that were not valid since the agent started
   * @param calibrationCertificate the certificate of the probe's calibration; null when none is
   *     recorded (and so the two below)
   * @param calibrationDue the day (UTC) the calibration falls due
   * @param calibrationOverdue true from 00:00 UTC of that day
   */
    public record ProbeState(String unit, String sensor, String type, String quality, Double celsius, String readAt,
      Long readAgeSeconds, String lastValidAt, long faults, String calibrationCertificate, String calibrationDue,
      Boolean calibrationOverdue) {}

  /**
   * @param sounding the buzzer sounds: an alarm is on and not muted
   * @param units the units with an active condition
   */
    public record LocalAlarm(boolean sounding, boolean muted, List<UnitAlarm> units) {}

  /** @param alarm true when one of {@code kinds} is of alarm severity (not only warnings) */
    public record UnitAlarm(String unit, boolean alarm, List<String> kinds) {}

  /** The report of a running agent's parts, now. */
  public static StatusReport of(String site, String agent, String version, long startedAt, Clock clock,
      Outbox outbox, long ackedUpTo, Connection connection, ProbeReadings probes, AlarmPanel panel) {
    long now = clock.millis();
    OptionalLong oldest = outbox.oldestTime();
    OutboxState box = new OutboxState(outbox.file().toString(), outbox.depth(), outbox.maxReadings(),
        oldest.isPresent() ? time(oldest.getAsLong()) : null,
        oldest.isPresent() ? ageSeconds(now, oldest.getAsLong()) : null,
        outbox.dropped(), outbox.droppedFromExcursions(), outbox.lastSeq(), ackedUpTo,
        outbox.corruptFiles().stream().map(Path::toString).toList(),
        outbox.recovery().map(StatusReport::recovery).orElse(null));
    List<ProbeState> probeStates = new ArrayList<>();
    for (ProbeReadings.State s : probes.all()) {
      probeStates.add(new ProbeState(s.probe().unit(), s.probe().sensor(), s.probe().type(),
          s.last().map(m -> m.quality().wire()).orElse(null),
          s.last().filter(m -> Double.isFinite(m.celsius())).map(m -> m.celsius()).orElse(null),
          s.last().map(m -> time(m.time())).orElse(null),
          s.last().map(m -> ageSeconds(now, m.time())).orElse(null),
          s.lastValidAt().map(StatusReport::time).orElse(null), s.faults(),
          s.probe().calibration().map(Calibration::certificate).orElse(null),
          s.probe().calibration().map(c -> c.due().toString()).orElse(null),
          s.probe().calibration().map(c -> c.overdueAt(now)).orElse(null)));
    }
    List<UnitAlarm> units = new ArrayList<>();
    for (Map.Entry<String, Set<AlarmKind>> e : panel.active().entrySet()) {
      units.add(new UnitAlarm(e.getKey(), !panel.alarms(e.getKey()).isEmpty(),
          e.getValue().stream().map(Enum::name).sorted().toList()));
    }
    return new StatusReport(VERSION, site, agent, version, time(startedAt), time(now), box, connection, probeStates,
        new LocalAlarm(panel.sounding(), panel.muted(), units));
  }

  private static RecoveryState recovery(Recovery r) {
    return new RecoveryState(r.kind().name(), r.movedTo().map(Path::toString).orElse(null), r.problem(),
        r.continuedAfter(), time(r.at()));
  }

  private static String time(long epochMillis) {
    return Instant.ofEpochMilli(epochMillis).toString();
  }

  /** Whole seconds from {@code then} to {@code now}; 0 if the clock stepped back. */
  private static long ageSeconds(long now, long then) {
    return Math.max(0, (now - then) / 1000);
  }
}
