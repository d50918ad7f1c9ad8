package org.sangfroid.agent.outbox;

import java.util.Map;
import java.util.function.Predicate;
import org.sangfroid.core.check.Checks;
import org.sangfroid.core.excursion.Profile;
import org.sangfroid.core.excursion.Rule;
import org.sangfroid.core.wire.Quality;

/**
 * Which measurements belong to an excursion, for the outbox's drop order: a probe fault
 * (missing data is evidence), or a temperature beyond any rule of the unit's profile (range,
 * warning, absolute or cumulative limit, by {@link Rule#beyond(double)}). A unit without a
 * profile here has no excursions but its faults. Pure and thread-safe.
 *
 * @param profiles each unit's profile, by unit id
 */
public record BeyondRules(Map<String, Profile> profiles) implements Predicate<Measurement> {
  public BeyondRules {
    profiles = Map.copyOf(Checks.requireNonNull("profiles", profiles));
  }

  /** Only probe faults count: no profiles known. */
  public static BeyondRules faultsOnly() {
    return new BeyondRules(Map.of());
  }

  @Override
  public boolean test(Measurement m) {
    if (m.quality() != Quality.OK) {
      return true;
    }
    Profile p = profiles.get(m.unit());
    return p != null && p.rules().stream().anyMatch(r -> r.beyond(m.celsius()));
  }
}
