package org.sangfroid.agent.sample;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.sangfroid.agent.calibration.Calibration;
import org.sangfroid.agent.outbox.Measurement;
import org.sangfroid.core.wire.AgentStatus;
import org.sangfroid.core.wire.Quality;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each probe as the agent's status shows it: its last reading's quality and its calibration (due
 * date, certificate, overdue). Logs each probe whose calibration is overdue at WARN, once a day,
 * on measurement time. Thread-safe: the sampler updates it, the publisher reads it.
 */
public final class ProbeStates {
  private static final Logger log = LoggerFactory.getLogger(ProbeStates.class);
  /** How often an overdue calibration is logged again. */
  public static final Duration LOG_EVERY = Duration.ofDays(1);

  private record Key(String unit, String sensor) {}

  private final List<Probe> probes;
  private final Map<Key, Quality> qualities = new HashMap<>();
  private final Map<Key, Long> overdueLogged = new HashMap<>();

  /** @param probes the agent's probes, in the order the status lists them */
  public ProbeStates(List<Probe> probes) {
    this.probes = List.copyOf(probes);
  }

  /**
   * Takes a tick's readings and logs each probe whose calibration is overdue at the tick's time,
   * unless it was logged less than {@link #LOG_EVERY} before.
   *
   * @return the ids of the probes logged by this call
   */
  public synchronized List<String> update(List<Measurement> tick) {
    if (tick.isEmpty()) {
      return List.of();
    }
    long now = tick.get(0).time();
    for (Measurement m : tick) {
      qualities.put(new Key(m.unit(), m.sensor()), m.quality());
    }
    List<String> logged = new ArrayList<>();
    for (Probe p : probes) {
      if (p.calibration().isEmpty() || !p.calibration().get().overdueAt(now)) {
        continue;
      }
      Key key = new Key(p.unit(), p.sensor().id());
      Long last = overdueLogged.get(key);
      if (last != null && now >= last && now - last < LOG_EVERY.toMillis()) {
        continue;
      }
      overdueLogged.put(key, now);
      logged.add(p.sensor().id());
      Calibration c = p.calibration().get();
      log.warn("CALIBRATION OVERDUE: probe {} of unit {} (certificate {}) was due for calibration on {}. Its"
          + " readings are still recorded; have it calibrated, or replace it, and update its calibration in the"
          + " configuration.", p.sensor().id(), p.unit(), c.certificate(), c.due());
    }
    return logged;
  }

  /** The probes for the status, their calibration judged at {@code now} (epoch ms). */
  public synchronized List<AgentStatus.Probe> status(long now) {
    List<AgentStatus.Probe> out = new ArrayList<>(probes.size());
    for (Probe p : probes) {
      Optional<Quality> quality = Optional.ofNullable(qualities.get(new Key(p.unit(), p.sensor().id())));
      Optional<Calibration> c = p.calibration();
      out.add(new AgentStatus.Probe(p.unit(), p.sensor().id(), quality,
          c.map(cal -> OptionalLong.of(cal.dueAt())).orElse(OptionalLong.empty()), c.map(Calibration::certificate),
          c.map(cal -> cal.overdueAt(now)).orElse(false)));
    }
    return out;
  }
}
