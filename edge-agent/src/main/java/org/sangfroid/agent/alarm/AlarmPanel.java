package org.sangfroid.agent.alarm;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.sangfroid.core.check.Checks;
import org.sangfroid.core.excursion.AlarmKind;

/**
 * What the site's alarm outputs show at one moment.
 *
 * @param active the units with at least one active condition (alarm or warning), by unit id,
 *     with the kinds active; units without any are absent
 * @param muted true while the mute button's silence runs
 */
public record AlarmPanel(Map<String, Set<AlarmKind>> active, boolean muted) {
  /** Nothing active, not muted. */
  public static final AlarmPanel QUIET = new AlarmPanel(Map.of(), false);

  public AlarmPanel {
    Checks.requireNonNull("active", active);
    Map<String, Set<AlarmKind>> copy = new TreeMap<>();
    active.forEach((unit, kinds) -> {
      if (!kinds.isEmpty()) {
        copy.put(unit, Collections.unmodifiableSet(EnumSet.copyOf(kinds)));
      }
    });
    active = Collections.unmodifiableMap(copy);
  }

  /** The alarm-severity kinds active on {@code unit} (empty when none). */
  public Set<AlarmKind> alarms(String unit) {
    return active.getOrDefault(unit, Set.of()).stream()
        .filter(k -> k.severity() == AlarmKind.Severity.ALARM)
        .collect(Collectors.toCollection(() -> EnumSet.noneOf(AlarmKind.class)));
  }

  /** The units with an alarm-severity condition on. */
  public Set<String> unitsInAlarm() {
    return active.keySet().stream().filter(u -> !alarms(u).isEmpty())
        .collect(Collectors.toCollection(TreeSet::new));
  }

  /** True while any unit has an alarm-severity condition on: the LED is lit. */
  public boolean alarm() {
    return !unitsInAlarm().isEmpty();
  }

  /** True while the buzzer sounds: an alarm is on and not muted. */
  public boolean sounding() {
    return alarm() && !muted;
  }
}
