package org.sangfroid.agent.outbox;

import org.sangfroid.core.check.Checks;
import org.sangfroid.core.wire.AgentEvent;

/**
 * An event before the event outbox numbers it: a door, power or agitator input changed, the mute
 * button silenced the buzzer, the local engine raised or cleared an alarm (see {@link AgentEvent}).
 *
 * @param time when it happened, UTC epoch ms (measurement time)
 * @param detail for a local alarm, the alarm kind's name; else empty
 */
public record Occurrence(long time, String unit, AgentEvent.Type type, boolean active, String detail,
    boolean clockSynced) {
  public Occurrence {
    // The same rules as the wire's, so a stored event always encodes.
    new AgentEvent(1, time, unit, type, active, detail, clockSynced);
  }

  /** An event of {@code type} without detail (inputs, mute). */
  public static Occurrence of(long time, String unit, AgentEvent.Type type, boolean active) {
    return new Occurrence(time, unit, type, active, "", true);
  }

  /** This occurrence numbered {@code seq}. */
  public AgentEvent withSeq(long seq) {
    Checks.requireAtLeast("seq", seq, 1);
    return new AgentEvent(seq, time, unit, type, active, detail, clockSynced);
  }

  /** What happened, for the log: {@code door open}, {@code mains power back}, {@code local alarm HIGH_TEMPERATURE on}. */
  public String describe() {
    return switch (type) {
      case DOOR_OPEN -> active ? "door open" : "door closed";
      case POWER_LOST -> active ? "mains power lost" : "mains power back";
      case AGITATOR_STOPPED -> active ? "agitator stopped" : "agitator moving";
      case ALARM_MUTED -> active ? "buzzer muted" : "buzzer mute ended";
      case LOCAL_ALARM -> "local alarm " + detail + (active ? " on" : " off");
    };
  }

  /** The condition this event is about: unit, type and detail (a local alarm's kind). */
  public String condition() {
    return unit + "/" + type.wire() + (detail.isEmpty() ? "" : "/" + detail);
  }
}
