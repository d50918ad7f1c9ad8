package org.sangfroid.core.wire;

import java.util.Optional;
import java.util.Set;
import org.sangfroid.core.check.Checks;

/**
 * MQTT topic names of protocol version 1. Agent topics are {@code sangfroid/v1/{site}/{agent}/{kind}};
 * {@code gateway} and {@code alarms} are reserved and cannot be site ids.
 */
public final class Topics {
  public static final String PREFIX = "sangfroid/v1/";
  /** Site ids that would collide with the gateway's own topics. */
  public static final Set<String> RESERVED_SITES = Set.of("gateway", "alarms");

  /** The per-agent topic kinds. */
  public enum Kind {
    /** Agent to gateway: batches of readings. */
    READINGS("readings"),
    /** Gateway to agent (retained): stored up to a sequence number. */
    ACK("ack"),
    /** Agent (retained): birth message; its last will says offline. */
    STATUS("status"),
    /** Agent to gateway: door, power and probe events (not used by protocol 1 yet). */
    EVENTS("events");

    private final String segment;

    Kind(String segment) {
      this.segment = segment;
    }

    /** The last topic level. */
    public String segment() {
      return segment;
    }
  }

  /** A parsed agent topic. */
  public record AgentTopic(String site, String agent, Kind kind) {}

  private Topics() {}

  /** {@code sangfroid/v1/{site}/{agent}/{kind}} */
  public static String agent(String site, String agent, Kind kind) {
    Checks.requireId("site", site);
    Checks.requireId("agent", agent);
    return PREFIX + site + "/" + agent + "/" + kind.segment();
  }

  /** Filter matching {@code kind} topics of every agent: {@code sangfroid/v1/+/+/kind}. */
  public static String allAgents(Kind kind) {
    return PREFIX + "+/+/" + kind.segment();
  }

  /** The gateway's retained state topic (with a last will saying offline). */
  public static String gatewayState() {
    return PREFIX + "gateway/state";
  }

  /** Alarm events for other systems: {@code sangfroid/v1/alarms/{site}/{unit}}. */
  public static String alarms(String site, String unit) {
    return PREFIX + "alarms/" + site + "/" + unit;
  }

  /** Parses an agent topic; empty if it is not one (wrong prefix, reserved site, bad id). */
  public static Optional<AgentTopic> parse(String topic) {
    if (topic == null || !topic.startsWith(PREFIX)) {
      return Optional.empty();
    }
    String[] parts = topic.substring(PREFIX.length()).split("/", -1);
    if (parts.length != 3 || RESERVED_SITES.contains(parts[0])) {
      return Optional.empty();
    }
    if (!Checks.isId(parts[0]) || !Checks.isId(parts[1])) {
      return Optional.empty();
    }
    for (Kind k : Kind.values()) {
      if (k.segment().equals(parts[2])) {
        return Optional.of(new AgentTopic(parts[0], parts[1], k));
      }
    }
    return Optional.empty();
  }
}
