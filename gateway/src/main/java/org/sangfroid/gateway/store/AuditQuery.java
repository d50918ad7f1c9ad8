package org.sangfroid.gateway.store;

import java.util.Optional;
import java.util.OptionalLong;
import org.sangfroid.core.check.Checks;

/**
 * Which audit entries to list ({@link GatewayStore#auditSearch}); every part is optional and they
 * all apply together.
 *
 * @param from entries written at or after this time (gateway clock, epoch ms)
 * @param to entries written before this time
 * @param actor entries by this user ({@code system} for the gateway itself)
 * @param action entries of this action ({@code alarm.acknowledged})
 * @param subject entries about this: a subject as written ({@code alarm/12}, {@code gateway}), the
 *     start of one ({@code user}), or a unit id (its own entries and those of its alarms)
 * @param beforeSeq entries with a lower seq: the next page of a list, newest first
 */
public record AuditQuery(OptionalLong from, OptionalLong to, Optional<String> actor, Optional<String> action,
    Optional<String> subject, OptionalLong beforeSeq) {
  public AuditQuery {
    Checks.requireNonNull("from", from);
    Checks.requireNonNull("to", to);
    Checks.requireNonNull("actor", actor);
    Checks.requireNonNull("action", action);
    Checks.requireNonNull("subject", subject);
    Checks.requireNonNull("beforeSeq", beforeSeq);
  }

  /** Every entry. */
  public static AuditQuery all() {
    return new AuditQuery(OptionalLong.empty(), OptionalLong.empty(), Optional.empty(), Optional.empty(),
        Optional.empty(), OptionalLong.empty());
  }
}
