package org.sangfroid.gateway.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.sangfroid.core.excursion.Profile;
import org.sangfroid.core.excursion.Rule;
import org.sangfroid.gateway.config.GatewayConfig;
import org.sangfroid.gateway.config.GatewayConfig.Unit;

/**
 * The {@code config.loaded} entry written at each start: the configuration file's SHA-256 and the
 * effective profile of each unit (the site's overrides applied), so that a changed threshold,
 * delay or profile shows in the audit trail as a difference between two starts.
 */
public final class ConfigRecord {
  /** The entry's action. */
  public static final String ACTION = "config.loaded";

  private ConfigRecord() {}

  /** The details of the entry for {@code config}. */
  public static Map<String, Object> details(GatewayConfig config) {
    Map<String, Object> units = new TreeMap<>();
    for (Unit u : config.fleet().units()) {
      Map<String, Object> d = new TreeMap<>();
      d.put("site", u.site());
      d.put("agent", u.agent());
      d.put("profile", profile(u.profile()));
      units.put(u.id(), d);
    }
    Map<String, Object> details = new TreeMap<>();
    details.put("sha256", config.sha256());
    details.put("units", units);
    return details;
  }

  private static Map<String, Object> profile(Profile p) {
    Map<String, Object> d = new TreeMap<>();
    d.put("id", p.id());
    d.put("low", p.hasLow() ? p.low() : null);
    d.put("high", p.hasHigh() ? p.high() : null);
    d.put("monitoringLostAfter", p.monitoringLostAfter().toString());
    List<String> rules = new ArrayList<>();
    for (Rule r : p.rules()) {
      rules.add(r.toString()); // records: every number and duration of the rule, in a fixed order
    }
    d.put("rules", rules);
    return d;
  }
}
