package org.sangfroid.gateway.broker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.sangfroid.core.check.Checks;
import org.sangfroid.core.wire.Topics;

/**
 * One reading of a Mosquitto password file ({@code USERNAME:HASH} lines, as {@code mosquitto_passwd}
 * and {@code sangfroid-credentials} write them), so one file can serve the embedded broker and
 * Mosquitto alike. Blank lines and lines starting with {@code #} are skipped.
 *
 * <p>Only agent users log in to the embedded broker: {@code SITE/AGENT}, two valid ids, the site
 * not reserved. Other users (the {@value #GATEWAY_USER} user that {@code sangfroid-credentials
 * gateway} adds for Mosquitto, or any other) are listed in {@link #ignored()}; the embedded
 * broker gives the gateway its own login.
 *
 * @param users the agent users and their hashes
 * @param problems lines that cannot be used, each {@code FILE:LINE: what}; their users cannot log in
 * @param ignored users that are valid Mosquitto lines but not agents, each {@code FILE:LINE: why}
 */
public record PasswordFile(Path file, Map<String, PasswordHash> users, List<String> problems, List<String> ignored) {
  /** The username Mosquitto deployments give the gateway (see {@code sangfroid-credentials}). */
  public static final String GATEWAY_USER = "sangfroid-gateway";

  public PasswordFile {
    Checks.requireNonNull("file", file);
    users = Map.copyOf(users);
    problems = List.copyOf(problems);
    ignored = List.copyOf(ignored);
  }

  /**
   * Reads {@code file}.
   *
   * @throws IOException if it cannot be read
   */
  public static PasswordFile read(Path file) throws IOException {
    return parse(file, Files.readString(file, StandardCharsets.UTF_8));
  }

  /** Parses {@code text}, the contents of {@code file}. Never throws on bad lines. */
  public static PasswordFile parse(Path file, String text) {
    Map<String, PasswordHash> users = new LinkedHashMap<>();
    Map<String, Integer> lines = new HashMap<>();
    List<String> problems = new ArrayList<>();
    List<String> ignored = new ArrayList<>();
    String[] all = text.split("\r?\n", -1);
    for (int i = 0; i < all.length; i++) {
      String line = all[i].strip();
      String where = file + ":" + (i + 1) + ": ";
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int colon = line.indexOf(':');
      if (colon <= 0) {
        problems.add(where + "a line must be USERNAME:HASH as mosquitto_passwd writes it, found "
            + (colon == 0 ? "no username" : "no ':'") + ".");
        continue;
      }
      String user = line.substring(0, colon);
      PasswordHash hash;
      try {
        hash = new PasswordHash(line.substring(colon + 1));
      } catch (IllegalArgumentException e) {
        problems.add(where + "user [" + user + "]: " + e.getMessage() + ".");
        continue;
      }
      Integer first = lines.putIfAbsent(user, i + 1);
      if (first != null) {
        problems.add(where + "user [" + user + "] must appear once, found it also at line " + first + ".");
        continue;
      }
      if (GATEWAY_USER.equals(user)) {
        ignored.add(where + "user [" + user + "] is for Mosquitto; the embedded broker gives the gateway its own"
            + " login.");
      } else if (agentUser(user).isEmpty()) {
        ignored.add(where + "user [" + user + "] is not SITE/AGENT, so it cannot log in to the embedded broker.");
      } else {
        users.put(user, hash);
      }
    }
    return new PasswordFile(file, users, problems, ignored);
  }

  /** The hash of agent {@code user}, if the file has one. */
  public Optional<PasswordHash> hash(String user) {
    return Optional.ofNullable(users.get(user));
  }

  /** A username that names an agent: {@code SITE/AGENT}. */
  public record AgentUser(String site, String agent) {
    public AgentUser {
      Checks.requireId("site", site);
      Checks.requireId("agent", agent);
    }

    /** {@code SITE/AGENT} */
    public String username() {
      return site + "/" + agent;
    }
  }

  /** The agent a username names, if it is {@code SITE/AGENT} with valid ids and a site that is not reserved. */
  public static Optional<AgentUser> agentUser(String username) {
    int slash = username == null ? -1 : username.indexOf('/');
    if (slash < 0) {
      return Optional.empty();
    }
    String site = username.substring(0, slash);
    String agent = username.substring(slash + 1);
    if (!Checks.isId(site) || !Checks.isId(agent) || Topics.RESERVED_SITES.contains(site)) {
      return Optional.empty();
    }
    return Optional.of(new AgentUser(site, agent));
  }
}
