package org.sangfroid.gateway.notify;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.sangfroid.core.excursion.AlarmKind;
import org.sangfroid.gateway.alarm.AlarmChange;
import org.sangfroid.gateway.store.AlarmRow;
import org.sangfroid.gateway.store.AuditRow;

/** Alarm changes for notification tests. */
final class NotifyFixtures {
  static final Instant STARTED = Instant.parse("2026-11-23T10:03:00Z");
  static final Instant RAISED = Instant.parse("2026-11-23T10:08:00Z");
  static final String API = "http://gw.example:8080";

  private NotifyFixtures() {}

  /** Alarm 12, HIGH_TEMPERATURE on rbc-fridge-1 at demo-centre: 7.2 °C over 6.0, peak 7.5. */
  static AlarmChange raised() {
    return raised(12);
  }

  static AlarmChange raised(long id) {
    AlarmRow a = new AlarmRow(id, "demo-centre", "rbc-fridge-1", AlarmKind.HIGH_TEMPERATURE, STARTED.toEpochMilli(),
        RAISED.toEpochMilli(), OptionalLong.empty(), OptionalDouble.of(7.2), OptionalDouble.of(6.0),
        OptionalDouble.of(7.5), true, Optional.empty(), Optional.empty());
    return new AlarmChange(AlarmChange.Type.RAISED, a, audit());
  }

  private static AuditRow audit() {
    return new AuditRow(1, RAISED.toEpochMilli(), "system", "alarm.raised", "alarm/12", "{}", "0".repeat(64),
        "1".repeat(64));
  }
}
