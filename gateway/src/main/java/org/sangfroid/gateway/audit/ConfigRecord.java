package org.sangfroid.gateway.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
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

  /** The action of an entry saying how one unit's settings changed between two starts. */
  public static final String UNIT_CHANGED = "unit.settings.changed";

  private static final ObjectMapper MAPPER = new ObjectMapper();

  /**
   * The units whose effective settings (profile, limits, rules, timing overrides) differ from the
   * previous start's {@code config.loaded} details: one {@code {unit, before, after}} each, in
   * unit order ({@code before} null for a unit added, {@code after} null for one removed). Nothing
   * for the first start.
   */
  @SuppressWarnings("unchecked")
  public static List<Map<String, Object>> unitChanges(Optional<String> previousDetails, Map<String, Object> current) {
    if (previousDetails.isEmpty()) {
      return List.of();
    }
    Map<String, Object> before;
    try {
      before = (Map<String, Object>) MAPPER.readValue(previousDetails.get(), Map.class).getOrDefault("units", Map.of());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("the previous config.loaded entry is not JSON: " + e.getOriginalMessage(), e);
    }
    Map<String, Object> after = MAPPER.convertValue(current.get("units"), Map.class);
    Set<String> ids = new TreeSet<>(before.keySet());
    ids.addAll(after.keySet());
    List<Map<String, Object>> changes = new ArrayList<>();
    for (String id : ids) {
      Object b = before.get(id);
      Object a = after.get(id);
      if (!MAPPER.valueToTree(b).equals(MAPPER.valueToTree(a))) {
        Map<String, Object> d = new TreeMap<>();
        d.put("unit", id);
        d.put("before", b);
        d.put("after", a);
        changes.add(d);
      }
    }
    return changes;
  }

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
