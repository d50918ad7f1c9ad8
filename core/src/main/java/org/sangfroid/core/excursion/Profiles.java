package org.sangfroid.core.excursion;

import static org.sangfroid.core.excursion.AlarmKind.ABSOLUTE_HIGH;
import static org.sangfroid.core.excursion.AlarmKind.ABSOLUTE_LOW;
import static org.sangfroid.core.excursion.AlarmKind.CUMULATIVE_EXPOSURE;
import static org.sangfroid.core.excursion.AlarmKind.EPISODE_DURATION;
import static org.sangfroid.core.excursion.AlarmKind.EPISODE_LIMIT;
import static org.sangfroid.core.excursion.AlarmKind.HIGH_TEMPERATURE;
import static org.sangfroid.core.excursion.AlarmKind.HIGH_WARNING;
import static org.sangfroid.core.excursion.AlarmKind.LOW_TEMPERATURE;
import static org.sangfroid.core.excursion.AlarmKind.LOW_WARNING;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The default product profiles, from ../shared/standards.md ("Suggested default product
 * profiles" and §1, §2, §3). Every limit cites its source there. Every delay, hysteresis,
 * warning band and monitoring-lost time marked (D) is a design default, not a regulation: the
 * site's quality manager must approve it, and the profile says so. Where sources disagree
 * (EU vs US), there are two profiles; nothing is averaged. No default has a rate-of-change rule
 * (standards.md sets no rate); a site adds one with {@link Profile#withRule}.
 */
public final class Profiles {
  /** (D) Time beyond the range before alarming, on a buffered probe (standards: 0–5 min, (D)). */
  public static final Duration DEFAULT_DELAY = Duration.ofMinutes(5);
  /** (D) No standard sets a deadband (standards §5: "Regulators publish no standard hysteresis"). */
  public static final double DEFAULT_HYSTERESIS = 0.5;
  /** (D) Freezers swing more on defrost; a wider deadband avoids flapping and split episodes. */
  public static final double FREEZER_HYSTERESIS = 1.0;
  /** (D) WHO PQS E006/TR06 loggers record at least every 10 min (standards §3). */
  public static final Duration DEFAULT_MONITORING_LOST = Duration.ofMinutes(10);
  /**
   * (D) Only invalid readings for as long as the alarm delay (standards design notes: "always
   * alarm on sensor loss"; a vendor's sensor-error event comes after 60 s, §5).
   */
  public static final Duration DEFAULT_PROBE_FAULT = DEFAULT_DELAY;
  /** (D) No standard sets a door-open delay (standards §2 door-open alarm; open question 8). */
  public static final Duration DEFAULT_DOOR_OPEN = Duration.ofMinutes(5);
  /** (D) Rides through a short dip or a generator start; standards only say "always alarm on power loss". */
  public static final Duration DEFAULT_POWER_LOST = Duration.ofMinutes(1);
  /** (D) The platelet agitator-stopped alarm's delay ("D delay e.g. 15 min", standards PLT_STORE). */
  public static final Duration DEFAULT_AGITATOR_STOPPED = Duration.ofMinutes(15);
  /** ISBT 2020: maximum transit time of red cells, 24 h (standards §1 Red cells, via KJBT 2022). */
  public static final Duration MAX_TRANSIT_ISBT = Duration.ofHours(24);

  private static final String TIMING =
      " Design defaults (D), to be approved by the quality manager: alarm delay 5 min, hysteresis, warning"
          + " bands, monitoring lost after 10 min, probe fault after 5 min of invalid readings (standards.md"
          + " design notes: always alarm on sensor loss).";
  private static final String STORAGE =
      " Door open for 5 min and mains power lost for 1 min alarm (D): no standard sets these delays (standards.md"
          + " §2 door-open alarm, open question 8); WHO PQS E006 asks for door openings and power availability to be"
          + " logged (§2, §3); plasma freezers typically alarm on power failure (§2); always alarm on power loss"
          + " (design notes).";

  private static final Map<String, Profile> DEFAULTS = new LinkedHashMap<>();

  static {
    add("RBC_STORE_EU", "Red cells and whole blood, storage (EU/UK/WHO)", 2.0, 6.0,
        "Range +2 to +6 °C: Directive 2004/33/EC Annex IV §1.1; JPAC Red Book 7.6 (standards.md §1 Red cells)."
            + " Never below +1 °C: ISBT 2020 (§1). Above +10 °C: discard, not returned to stock (Sanquin; Red Book"
            + " exception, Hancock 2011: a single occurrence under 5 h at core 1–10 °C may be released by QA)."
            + " Warnings at +2.5/+5.5 °C: within 0.5 °C of the range (Australian guide, §2)." + TIMING + STORAGE,
        range(2.0, 6.0, DEFAULT_HYSTERESIS),
        warnings(2.5, 5.5),
        storageUnit(),
        Rule.Threshold.absolute(ABSOLUTE_LOW, 1.0, false, DEFAULT_HYSTERESIS),
        Rule.Threshold.absolute(ABSOLUTE_HIGH, 10.0, true, DEFAULT_HYSTERESIS));
    add("RBC_STORE_US", "Red cells and whole blood, storage (AABB/FDA)", 1.0, 6.0,
        "Range +1 to +6 °C: 21 CFR 610.53; AABB Std 5.6.5 (standards.md §1 Red cells). Warnings at +2.2/+5.8 °C:"
            + " ACHC example alarm set points (§2)." + TIMING + STORAGE,
        range(1.0, 6.0, DEFAULT_HYSTERESIS),
        warnings(2.2, 5.8),
        storageUnit());
    add("RBC_TRANSPORT", "Red cells in a validated transport box", 2.0, 10.0,
        "Range +2 to +10 °C: ISBT 2020 and JPAC via KJBT 2022 (US 1–10 °C: 21 CFR 600.15) (standards.md §1)."
            + " Alarm at once: delay 0 (D). Maximum transit time 24 h from the trip's start (ISBT 2020, §1; table"
            + " RBC_TRANSPORT); a site sets its box's shorter validated time (e.g. NHSBT 5.5 h, §2). Probe fault"
            + " after 5 min of invalid readings (D).",
        new Rule[] {
            Rule.Threshold.of(LOW_TEMPERATURE, 2.0, false, Duration.ZERO, DEFAULT_HYSTERESIS),
            Rule.Threshold.of(HIGH_TEMPERATURE, 10.0, true, Duration.ZERO, DEFAULT_HYSTERESIS),
            new Rule.ProbeFault(DEFAULT_PROBE_FAULT),
            new Rule.TransitTime(MAX_TRANSIT_ISBT)});
    add("PLT_STORE", "Platelets, storage with agitation", 20.0, 24.0,
        "Range +20 to +24 °C: Directive 2004/33/EC Annex IV; 21 CFR 610.53 (standards.md §1 Platelets)."
            + " Warnings at +20.5/+23.5 °C (D). Continuous gentle agitation (Red Book 8.10; AABB, §1 Platelets):"
            + " agitator stopped for 15 min alarms (D, table PLT_STORE; it needs a motion input on the agent)."
            + TIMING + STORAGE,
        range(20.0, 24.0, DEFAULT_HYSTERESIS),
        warnings(20.5, 23.5),
        storageUnit(),
        new Rule.InputActive(InputChange.Input.AGITATOR_STOPPED, DEFAULT_AGITATOR_STOPPED));
    add("FFP_CRYO_EU", "Fresh frozen plasma and cryoprecipitate (EU/UK)", Double.NEGATIVE_INFINITY, -25.0,
        "At or below -25 °C core: EDQM Guide / Red Book via learnhaem; transfusion.com.au (standards.md §1 FFP)."
            + " Warning at -27 °C (D); power-fail alarm (table FFP_CRYO_EU)." + TIMING + STORAGE,
        new Rule[] {high(-25.0, FREEZER_HYSTERESIS), warnHigh(-27.0, FREEZER_HYSTERESIS)},
        storageUnit());
    add("FFP_US", "Fresh frozen plasma, PF24 and cryoprecipitate (US)", Double.NEGATIVE_INFINITY, -18.0,
        "At or below -18 °C: 21 CFR 610.53 (standards.md §1 FFP)." + TIMING + STORAGE,
        new Rule[] {high(-18.0, FREEZER_HYSTERESIS)},
        storageUnit());
    add("PLASMA_FRACT_PHEUR", "Plasma for fractionation (Ph. Eur. 0853)", Double.NEGATIVE_INFINITY, -20.0,
        "At or below -20 °C; after an excursion the plasma may still be fractionated only if the total time"
            + " above -20 °C is at most 72 h, it went above -15 °C on one occasion at most, and never above -5 °C:"
            + " Ph. Eur. 0853 as commonly cited [U: primary text not retrieved] (standards.md §1 Plasma for"
            + " fractionation). Warning at -22 °C (D); episodes above -15 °C end 1 °C below it (D)." + TIMING + STORAGE,
        new Rule[] {
            high(-20.0, FREEZER_HYSTERESIS),
            warnHigh(-22.0, FREEZER_HYSTERESIS),
            new Rule.Cumulative(CUMULATIVE_EXPOSURE, -20.0, true, false, Duration.ofHours(72)),
            new Rule.Episodes(EPISODE_LIMIT, -15.0, true, false, 1, FREEZER_HYSTERESIS),
            Rule.Threshold.absolute(ABSOLUTE_HIGH, -5.0, true, FREEZER_HYSTERESIS)},
        storageUnit());
    add("PLASMA_FRACT_US_CA", "Source plasma (21 CFR 640.76, Canada C.04.417)", Double.NEGATIVE_INFINITY, -20.0,
        "At or below -20 °C. One episode warmer than -20 °C and colder than -5 °C, of at most 72 h, with the"
            + " plasma frozen solid, is exempt; otherwise it is labelled Source Plasma Salvaged; in Canada, above"
            + " +10 °C it is disposed of (see the alarm's peak): 21 CFR 640.76(a); FDR C.04.417 (standards.md §1"
            + " Plasma for fractionation). Episodes end 1 °C below -20 °C (D)." + TIMING + STORAGE,
        new Rule[] {
            high(-20.0, FREEZER_HYSTERESIS),
            new Rule.Episodes(EPISODE_LIMIT, -20.0, true, false, 1, FREEZER_HYSTERESIS),
            new Rule.LongestEpisode(EPISODE_DURATION, -20.0, true, false, Duration.ofHours(72), FREEZER_HYSTERESIS),
            new Rule.Threshold(ABSOLUTE_HIGH, -5.0, true, true, Duration.ZERO, FREEZER_HYSTERESIS)},
        storageUnit());
    add("THAWED_PLASMA", "Thawed plasma and thawed FFP", 2.0, 6.0,
        "Range +2 to +6 °C (UK 4 ± 2 °C; US 1–6 °C): learnhaem Red Book summary; AABB via nwrinc.com (standards.md"
            + " §1 FFP). The expiry from thaw time is not evaluated. Warnings as for red cells (D)." + TIMING + STORAGE,
        range(2.0, 6.0, DEFAULT_HYSTERESIS),
        warnings(2.5, 5.5),
        storageUnit());
    add("ULT_RBC", "Frozen red cells (ultra-low freezer)", Double.NEGATIVE_INFINITY, -65.0,
        "At or below -65 °C: 21 CFR 610.53 (standards.md §1 Ultra-low storage). Warning at -70 °C (D)." + TIMING
            + STORAGE,
        new Rule[] {high(-65.0, FREEZER_HYSTERESIS), warnHigh(-70.0, FREEZER_HYSTERESIS)},
        storageUnit());
    add("VACCINE_2_8_REF", "Reagent or vaccine fridge (reference profile)", 2.0, 8.0,
        "Range +2 to +8 °C. Freeze alarm at -0.5 °C or below for 60 min: WHO PQS E006/TR06 (30DTR), threshold"
            + " inclusive (standards.md §3). The WHO heat alarm (+8 °C for 10 h) is unconfirmed [U] and not used;"
            + " above +8 °C alarms after 5 min (D); below +2 °C warns (D)." + TIMING + STORAGE,
        new Rule[] {
            new Rule.Threshold(LOW_TEMPERATURE, -0.5, false, true, Duration.ofMinutes(60), DEFAULT_HYSTERESIS),
            Rule.Threshold.of(HIGH_TEMPERATURE, 8.0, true, DEFAULT_DELAY, DEFAULT_HYSTERESIS),
            Rule.Threshold.of(LOW_WARNING, 2.0, false, DEFAULT_DELAY, DEFAULT_HYSTERESIS)},
        storageUnit());
  }

  private Profiles() {}

  private static Rule[] range(double low, double high, double hysteresis) {
    return new Rule[] {
        Rule.Threshold.of(LOW_TEMPERATURE, low, false, DEFAULT_DELAY, hysteresis),
        Rule.Threshold.of(HIGH_TEMPERATURE, high, true, DEFAULT_DELAY, hysteresis)};
  }

  private static Rule[] warnings(double low, double high) {
    return new Rule[] {
        Rule.Threshold.of(LOW_WARNING, low, false, DEFAULT_DELAY, DEFAULT_HYSTERESIS),
        Rule.Threshold.of(HIGH_WARNING, high, true, DEFAULT_DELAY, DEFAULT_HYSTERESIS)};
  }

  /** Every fridge, freezer and incubator: its probe, its door and its mains power. */
  private static Rule[] storageUnit() {
    return new Rule[] {
        new Rule.ProbeFault(DEFAULT_PROBE_FAULT),
        new Rule.InputActive(InputChange.Input.DOOR_OPEN, DEFAULT_DOOR_OPEN),
        new Rule.InputActive(InputChange.Input.POWER_LOST, DEFAULT_POWER_LOST)};
  }

  private static Rule high(double limit, double hysteresis) {
    return Rule.Threshold.of(HIGH_TEMPERATURE, limit, true, DEFAULT_DELAY, hysteresis);
  }

  private static Rule warnHigh(double limit, double hysteresis) {
    return Rule.Threshold.of(HIGH_WARNING, limit, true, DEFAULT_DELAY, hysteresis);
  }

  private static void add(String id, String title, double low, double high, String source, Object... parts) {
    List<Rule> rules = new java.util.ArrayList<>();
    for (Object part : parts) {
      if (part instanceof Rule[] many) {
        rules.addAll(List.of(many));
      } else {
        rules.add((Rule) part);
      }
    }
    DEFAULTS.put(id, new Profile(id, title, low, high, rules, DEFAULT_MONITORING_LOST, source));
  }

  /** The default profile with this id. */
  public static Optional<Profile> byId(String id) {
    return Optional.ofNullable(DEFAULTS.get(id));
  }

  /** All default profiles, by id. */
  public static Map<String, Profile> all() {
    return Map.copyOf(DEFAULTS);
  }

  /** The ids, in the order they are documented. */
  public static List<String> ids() {
    return List.copyOf(DEFAULTS.keySet());
  }
}
