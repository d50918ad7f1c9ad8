package org.sangfroid.gateway.store;

import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.sangfroid.core.excursion.AlarmKind;

/**
 * A stored alarm. Times are measurement times, epoch ms.
 *
 * @param startedAt when the condition began (the first reading beyond the limit)
 * @param raisedAt when the delay was complete
 * @param clearedAt when it ended, empty while active
 * @param triggerValue the temperature that raised it (empty for monitoring lost)
 * @param limit the limit crossed (empty for monitoring lost)
 * @param peak the worst temperature of the episode, updated when it clears
 * @param late true when the readings arrived long after they were measured
 */
public record AlarmRow(
    long id,
    String site,
    String unit,
    AlarmKind kind,
    AlarmState state,
    long startedAt,
    long raisedAt,
    OptionalLong clearedAt,
    OptionalDouble triggerValue,
    OptionalDouble limit,
    OptionalDouble peak,
    boolean late) {}
