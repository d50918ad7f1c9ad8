package org.sangfroid.core.excursion;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The default product profiles. Every limit cites ../shared/standards.md ("Suggested default
 * product profiles" and §1); every delay, hysteresis and monitoring-lost time is a design
 * default (D) that the site's quality manager must approve, and the profile says so.
 */
public final class Profiles {
  /** Design default (D): time beyond a limit before alarming, on a buffered probe (standards: 0–5 min). */
  public static final Duration DEFAULT_DELAY = Duration.ofMinutes(5);
  /** Design default (D): no standard sets a deadband (standards §5 "Regulators publish no standard hysteresis"). */
  public static final double DEFAULT_HYSTERESIS = 0.5;
  /** Design default (D): freezers swing more on defrost; a wider deadband avoids flapping. */
  public static final double FREEZER_HYSTERESIS = 1.0;
  /** Design default (D): WHO PQS E006/TR06 loggers record at least every 10 min (standards §3). */
  public static final Duration DEFAULT_MONITORING_LOST = Duration.ofMinutes(10);

  private static final String TIMING_NOTE =
      " Delay 5 min, hysteresis and monitoring-lost 10 min are design defaults (D) for the"
          + " quality manager to approve.";

  private static final Map<String, Profile> DEFAULTS = new LinkedHashMap<>();

  static {
    add(new Profile("RBC_STORE_EU", "Red cells and whole blood, storage (EU/UK/WHO)",
        2.0, 6.0, DEFAULT_DELAY, DEFAULT_HYSTERESIS, DEFAULT_MONITORING_LOST,
        "+2 to +6 °C: Directive 2004/33/EC Annex IV §1.1; JPAC Red Book 7.6 (standards.md §1"
            + " Red cells)." + TIMING_NOTE));
    add(new Profile("RBC_STORE_US", "Red cells and whole blood, storage (AABB/FDA)",
        1.0, 6.0, DEFAULT_DELAY, DEFAULT_HYSTERESIS, DEFAULT_MONITORING_LOST,
        "+1 to +6 °C: 21 CFR 610.53; AABB Std 5.6.5 (standards.md §1 Red cells)." + TIMING_NOTE));
    add(new Profile("PLT_STORE", "Platelets, storage with agitation",
        20.0, 24.0, DEFAULT_DELAY, DEFAULT_HYSTERESIS, DEFAULT_MONITORING_LOST,
        "+20 to +24 °C: Directive 2004/33/EC Annex IV; 21 CFR 610.53 (standards.md §1"
            + " Platelets)." + TIMING_NOTE));
    add(new Profile("FFP_CRYO_EU", "Fresh frozen plasma and cryoprecipitate (EU/UK)",
        Double.NEGATIVE_INFINITY, -25.0, DEFAULT_DELAY, FREEZER_HYSTERESIS, DEFAULT_MONITORING_LOST,
        "At or below -25 °C core: EDQM Guide / Red Book via learnhaem; transfusion.com.au"
            + " (standards.md §1 FFP)." + TIMING_NOTE));
    add(new Profile("FFP_US", "Fresh frozen plasma, PF24 and cryoprecipitate (US)",
        Double.NEGATIVE_INFINITY, -18.0, DEFAULT_DELAY, FREEZER_HYSTERESIS, DEFAULT_MONITORING_LOST,
        "At or below -18 °C: 21 CFR 610.53 (standards.md §1 FFP)." + TIMING_NOTE));
  }

  private Profiles() {}

  private static void add(Profile p) {
    DEFAULTS.put(p.id(), p);
  }

  /** The default profile with this id. */
  public static Optional<Profile> byId(String id) {
    return Optional.ofNullable(DEFAULTS.get(id));
  }

  /** All default profiles, by id, in a stable order. */
  public static Map<String, Profile> all() {
    return Map.copyOf(DEFAULTS);
  }

  /** The ids, in the order they are documented. */
  public static java.util.List<String> ids() {
    return java.util.List.copyOf(DEFAULTS.keySet());
  }
}
