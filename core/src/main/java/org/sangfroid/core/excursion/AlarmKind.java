package org.sangfroid.core.excursion;

/**
 * What an alarm is about. Each rule of a profile has its own kind, so a unit has at most one
 * active alarm per kind.
 */
public enum AlarmKind {
  /** Above the acceptable range for longer than the delay. */
  HIGH_TEMPERATURE(Severity.ALARM),
  /** Below the acceptable range for longer than the delay. */
  LOW_TEMPERATURE(Severity.ALARM),
  /** Inside the range but near its upper limit: act before the product is at risk. */
  HIGH_WARNING(Severity.WARNING),
  /** Inside the range but near its lower limit. */
  LOW_WARNING(Severity.WARNING),
  /** Above a limit the product must never exceed, even for a moment (e.g. plasma above -5 °C). */
  ABSOLUTE_HIGH(Severity.ALARM),
  /** Below a limit the product must never go under (e.g. red cells below +1 °C). */
  ABSOLUTE_LOW(Severity.ALARM),
  /**
   * The total time beyond a limit, over the product's stay (or within a rolling window, e.g. the
   * last 24 h), is over its allowance.
   */
  CUMULATIVE_EXPOSURE(Severity.ALARM),
  /** More separate excursions beyond a limit than the rule allows. */
  EPISODE_LIMIT(Severity.ALARM),
  /** One continuous excursion beyond a limit lasted longer than the rule allows. */
  EPISODE_DURATION(Severity.ALARM),
  /** No valid reading for longer than the profile allows: missing data is never "fine". */
  MONITORING_LOST(Severity.ALARM),
  /**
   * The temperature changes faster than the rule allows, measured over a window: a door left
   * open, a failing compressor, a probe taken out of its buffer. A warning: the range's own
   * alarms decide about the products.
   */
  RATE_OF_CHANGE(Severity.WARNING),
  /** The probe gave only invalid readings (CRC error, disconnected, out of its physical range) for the delay. */
  PROBE_FAULT(Severity.ALARM),
  /** The unit's door stayed open for longer than the delay. */
  DOOR_OPEN(Severity.ALARM),
  /** The unit's mains power stayed off for longer than the delay. */
  POWER_LOST(Severity.ALARM),
  /** The platelet agitator stayed stopped for longer than the delay. */
  AGITATOR_STOPPED(Severity.ALARM),
  /** The trip (or product stay) has lasted longer than the maximum transit time. */
  TRANSIT_TIME(Severity.ALARM),
  /**
   * A probe's calibration is past its due date: its readings are no longer traceable. A warning,
   * raised on the gateway's clock: the temperatures are still read and checked.
   */
  CALIBRATION_OVERDUE(Severity.WARNING),
  /**
   * Readings of the agent that watches this unit will never reach the gateway (dropped by a full
   * outbox, or lost with a database): the unit's record has a hole (data integrity). Raised by the
   * gateway outside the engine; no profile rule has this kind.
   */
  SEQUENCE_GAP(Severity.ALARM),
  /**
   * An alarm message could not be delivered through a notification channel (mail server or
   * webhook down for longer than the retry allows): people may not know about an alarm. Raised by
   * the gateway outside the engine.
   */
  NOTIFICATION_FAILED(Severity.ALARM);

  /** How urgent a kind is. */
  public enum Severity {
    /** Act soon: the product is not yet outside its limits. */
    WARNING,
    /** The product's storage rules are broken, or can no longer be shown to hold. */
    ALARM
  }

  private final Severity severity;

  AlarmKind(Severity severity) {
    this.severity = severity;
  }

  /** Warning or alarm. */
  public Severity severity() {
    return severity;
  }
}
