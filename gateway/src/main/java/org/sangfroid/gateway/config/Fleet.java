package org.sangfroid.gateway.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.sangfroid.gateway.config.GatewayConfig.Agent;
import org.sangfroid.gateway.config.GatewayConfig.Site;
import org.sangfroid.gateway.config.GatewayConfig.Unit;

/** What the gateway watches, indexed: agents by site and id, units by id. Immutable. */
public final class Fleet {
  private final List<Site> sites;
  private final Map<String, Agent> agents = new LinkedHashMap<>();
  private final Map<String, Unit> units = new LinkedHashMap<>();

  Fleet(GatewayConfig config) {
    this.sites = config.sites();
    for (Site s : sites) {
      for (Agent a : s.agents()) {
        agents.put(key(s.id(), a.id()), a);
        for (Unit u : a.units()) {
          units.put(u.id(), u);
        }
      }
    }
  }

  private static String key(String site, String agent) {
    return site + "/" + agent;
  }

  /** The configured agent {@code agent} of {@code site}. */
  public Optional<Agent> agent(String site, String agent) {
    return Optional.ofNullable(agents.get(key(site, agent)));
  }

  /** The configured unit {@code id}. */
  public Optional<Unit> unit(String id) {
    return Optional.ofNullable(units.get(id));
  }

  /** Every configured unit, in file order. */
  public List<Unit> units() {
    return List.copyOf(units.values());
  }

  /** Every configured agent, in file order. */
  public List<Agent> agents() {
    return List.copyOf(agents.values());
  }

  /** The configured site {@code id}. */
  public Optional<Site> site(String id) {
    return sites.stream().filter(s -> s.id().equals(id)).findFirst();
  }

  /** Every configured site, in file order. */
  public List<Site> sites() {
    return sites;
  }
}
