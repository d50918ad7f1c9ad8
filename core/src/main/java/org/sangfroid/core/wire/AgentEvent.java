package org.sangfroid.core.wire;

import java.util.Locale;
import java.util.Optional;
import org.sangfroid.core.check.Checks;

/**
 * Something an agent saw happen at a unit, other than a temperature: a door opened, the mains
 * power went, the platelet agitator stopped, the local alarm was muted, the agent's own engine
 * raised or cleared an alarm. Events have their own sequence numbers (per agent, from 1), travel
 * on {@code .../events} ahead of any reading backlog, and are acknowledged by {@link Ack#eventsUpTo}.
 *
 * @param seq the agent's event sequence number
 * @param time when it happened, UTC epoch milliseconds (measurement time)
 * @param active the condition is now on: door open, power lost, agitator stopped, alarm muted,
 *     local alarm raised; false when it ends
 * @param detail for {@link Type#LOCAL_ALARM}: the alarm kind (core's AlarmKind name); else empty
 * @param clockSynced false when the device clock was not yet synchronised
 */
public record AgentEvent(long seq, long time, String unit, Type type, boolean active, String detail,
    boolean clockSynced) {

  /** What happened. */
  public enum Type {
    /** A door contact: active while the door is open. */
    DOOR_OPEN,
    /** A mains-power sense line: active while the mains power is off. */
    POWER_LOST,
    /** A platelet agitator's motion sensor: active while it is stopped. */
    AGITATOR_STOPPED,
    /** The on-site alarm's mute button: active while the buzzer is silenced. */
    ALARM_MUTED,
    /** The agent's own excursion engine: active when it raised {@code detail}, false when cleared. */
    LOCAL_ALARM;

    /** As in JSON: {@code door_open}. */
    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** The type named {@code wire} in JSON. */
    public static Optional<Type> fromWire(String wire) {
      for (Type t : values()) {
        if (t.wire().equals(wire)) {
          return Optional.of(t);
        }
      }
      return Optional.empty();
    }
  }

  public AgentEvent {
    Checks.requireAtLeast("seq", seq, 1);
    Checks.requireAtLeast("time", time, 0);
    Checks.requireId("unit", unit);
    Checks.requireNonNull("type", type);
    Checks.requireNonNull("detail", detail);
    Checks.require(detail.length() <= 64, "detail", detail, "be at most 64 characters");
    Checks.require(type != Type.LOCAL_ALARM || !detail.isEmpty(), "detail", detail,
        "name the alarm kind for a local_alarm event");
  }
}
