package org.sangfroid.core.wire;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.sangfroid.core.check.Checks;

/**
 * An agent's retained status: its birth message ({@code online}, also re-published every
 * minute while connected) or its last will ({@code offline}, sent by the broker when the agent
 * vanishes).
 *
 * @param online whether the agent is connected
 * @param version the agent's software version ("" in a last will)
 * @param startedAt when the agent process started, epoch ms (0 in a last will)
 * @param outboxDepth readings waiting in the agent's outbox (-1 when unknown)
 * @param oldestUnsent measurement time (epoch ms, device clock) of the oldest reading still
 *     waiting in the outbox for the gateway's ack; empty when the outbox is empty or the agent
 *     did not say (older agents, last will)
 * @param dropped readings the agent dropped from its full outbox since the outbox was created;
 *     empty when the agent did not say (older agents, last will)
 * @param probes each probe's state, in the agent's configuration order; empty when the agent did
 *     not say (older agents, last will)
 */
public record AgentStatus(boolean online, String version, long startedAt, long outboxDepth,
    OptionalLong oldestUnsent, OptionalLong dropped, List<Probe> probes) {
  /** The most probes one status lists. */
  public static final int MAX_PROBES = 256;
  /** The longest calibration certificate id. */
  public static final int MAX_CERTIFICATE = 64;

  public AgentStatus {
    Checks.requireNonNull("version", version);
    Checks.requireNonNull("oldestUnsent", oldestUnsent);
    Checks.requireNonNull("dropped", dropped);
    oldestUnsent.ifPresent(t -> Checks.requireAtLeast("oldestUnsent", t, 0));
    dropped.ifPresent(n -> Checks.requireAtLeast("dropped", n, 0));
    probes = List.copyOf(probes);
    Checks.require(probes.size() <= MAX_PROBES, "probes", probes.size() + " items",
        "hold at most " + MAX_PROBES + " probes");
  }

  /** A status without the probes (what agents before calibration sent). */
  public AgentStatus(boolean online, String version, long startedAt, long outboxDepth,
      OptionalLong oldestUnsent, OptionalLong dropped) {
    this(online, version, startedAt, outboxDepth, oldestUnsent, dropped, List.of());
  }

  /** A status without the outbox's health (what protocol-1 agents before it sent). */
  public AgentStatus(boolean online, String version, long startedAt, long outboxDepth) {
    this(online, version, startedAt, outboxDepth, OptionalLong.empty(), OptionalLong.empty(), List.of());
  }

  /** The last will an agent leaves with the broker. */
  public static AgentStatus lastWill() {
    return new AgentStatus(false, "", 0, -1);
  }

  /**
   * One probe as the agent sees it.
   *
   * @param quality its last reading's quality; empty until the agent has read it
   * @param calibrationDue when its calibration falls due (epoch ms, 00:00 UTC of the due date);
   *     empty when the agent's configuration records no calibration for it
   * @param certificate the calibration certificate's id, when recorded
   * @param calibrationOverdue true when the agent's clock is at or past {@code calibrationDue}
   */
  public record Probe(String unit, String sensor, Optional<Quality> quality, OptionalLong calibrationDue,
      Optional<String> certificate, boolean calibrationOverdue) {
    public Probe {
      Checks.requireId("unit", unit);
      Checks.requireId("sensor", sensor);
      Checks.requireNonNull("quality", quality);
      Checks.requireNonNull("calibrationDue", calibrationDue);
      Checks.requireNonNull("certificate", certificate);
      calibrationDue.ifPresent(t -> Checks.requireAtLeast("calibrationDue", t, 0));
      certificate.ifPresent(c -> Checks.require(certificateValid(c), "certificate", c, CERTIFICATE_RULE));
      Checks.require(!calibrationOverdue || calibrationDue.isPresent(), "calibrationOverdue", true,
          "come with calibrationDue");
    }
  }

  /** The rule for certificate ids, as messages state it. */
  public static final String CERTIFICATE_RULE =
      "be 1 to " + MAX_CERTIFICATE + " characters without line breaks or other control characters";

  /** True when {@code id} is a certificate id a status may carry. */
  public static boolean certificateValid(String id) {
    return id != null && !id.isBlank() && id.length() <= MAX_CERTIFICATE
        && id.chars().noneMatch(Character::isISOControl);
  }
}
