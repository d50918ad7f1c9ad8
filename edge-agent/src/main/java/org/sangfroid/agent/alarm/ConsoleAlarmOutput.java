package org.sangfroid.agent.alarm;

import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Alarms in the log: a WARN line when a unit enters alarm, when its alarms change and when it
 * leaves alarm; an INFO line when a unit's warnings change. Always present, GPIO or not.
 */
public final class ConsoleAlarmOutput implements AlarmOutput {
  private static final Logger log = LoggerFactory.getLogger(ConsoleAlarmOutput.class);

  private AlarmPanel last = AlarmPanel.QUIET;

  @Override
  public void show(AlarmPanel panel) {
    Set<String> units = new TreeSet<>(last.active().keySet());
    units.addAll(panel.active().keySet());
    for (String unit : units) {
      Set<?> before = last.alarms(unit);
      Set<?> now = panel.alarms(unit);
      if (before.isEmpty() && !now.isEmpty()) {
        log.warn("LOCAL ALARM: unit {} enters alarm {}", unit, now);
      } else if (!before.isEmpty() && now.isEmpty()) {
        log.warn("LOCAL ALARM: unit {} leaves alarm (was {})", unit, before);
      } else if (!before.equals(now)) {
        log.warn("LOCAL ALARM: unit {} now in alarm {} (was {})", unit, now, before);
      }
      Set<?> warnedBefore = last.active().getOrDefault(unit, Set.of());
      Set<?> warnedNow = panel.active().getOrDefault(unit, Set.of());
      if (now.isEmpty() && before.isEmpty() && !warnedBefore.equals(warnedNow)) {
        log.info("Local warning: unit {} {}", unit, warnedNow.isEmpty() ? "back to normal" : "warns " + warnedNow);
      }
    }
    last = panel;
  }
}
