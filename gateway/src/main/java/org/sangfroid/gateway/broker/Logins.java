package org.sangfroid.gateway.broker;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import org.sangfroid.core.wire.Topics;
import org.sangfroid.gateway.broker.PasswordFile.AgentUser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may log in to the embedded broker, and where each may publish and subscribe: the agents of
 * a Mosquitto password file, and the gateway itself with a random secret made at start, held in
 * memory only. Plain Java (no HiveMQ types), so the rules are tested without a broker.
 *
 * <p>The password file is read again when it changes (modification time, size or inode), checked
 * at each login and each agent publish: a new agent logs in without a gateway restart, and a
 * removed or re-issued agent is disconnected at its next publish. If the file cannot be read any
 * more, the last good reading stays in force and the problem is logged once.
 *
 * <p>Thread-safe: HiveMQ calls it from several threads at once.
 */
final class Logins {
  /** The gateway's own username on the embedded broker (the one Mosquitto deployments use). */
  public static final String GATEWAY_USER = PasswordFile.GATEWAY_USER;
  /** Client ids starting with this are agents' ({@code sangfroid-agent-SITE-AGENT}): each only its own. */
  static final String AGENT_CLIENT_PREFIX = "sangfroid-agent-";
  /** The gateway's client id; no one else may take its session over. */
  static final String GATEWAY_CLIENT_ID = "sangfroid-gateway";

  private static final Logger LOG = LoggerFactory.getLogger(Logins.class);
  private static final int SECRET_BYTES = 32;

  private final Path file;
  private final byte[] gatewaySecret;
  private volatile Snapshot snapshot;

  private record Stamp(FileTime modified, long size, Object key) {}

  private record Snapshot(Optional<Stamp> stamp, PasswordFile passwords) {}

  private Logins(Path file, byte[] gatewaySecret, Snapshot snapshot) {
    this.file = file;
    this.gatewaySecret = gatewaySecret;
    this.snapshot = snapshot;
  }

  /**
   * Reads {@code file} and makes the gateway's secret.
   *
   * @throws BrokerException if the file cannot be read
   */
  public static Logins open(Path file, SecureRandom random) {
    Optional<Stamp> stamp = stamp(file);
    PasswordFile passwords;
    try {
      passwords = PasswordFile.read(file);
    } catch (IOException e) {
      throw new BrokerException("broker.embedded.passwordFile [" + file + "] must be readable: " + e, e);
    }
    report(passwords);
    byte[] raw = new byte[SECRET_BYTES];
    random.nextBytes(raw);
    byte[] secret = HexFormat.of().formatHex(raw).getBytes(StandardCharsets.US_ASCII);
    LOG.info("MQTT logins: {} agents in {}", passwords.users().size(), file);
    return new Logins(file, secret, new Snapshot(stamp, passwords));
  }

  /** The gateway's password on this broker (a copy; hex digits, so ASCII). */
  public char[] gatewayPassword() {
    char[] out = new char[gatewaySecret.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = (char) gatewaySecret[i];
    }
    return out;
  }

  /** The password file as last read, after reading it again if it changed. */
  public PasswordFile passwords() {
    Snapshot s = snapshot;
    Optional<Stamp> now = stamp(file);
    if (now.equals(s.stamp())) {
      return s.passwords();
    }
    synchronized (this) {
      s = snapshot;
      if (now.equals(s.stamp())) {
        return s.passwords();
      }
      PasswordFile passwords = s.passwords();
      try {
        passwords = PasswordFile.read(file);
        report(passwords);
        LOG.info("MQTT password file {} changed: {} agents", file, passwords.users().size());
      } catch (IOException e) {
        LOG.error("MQTT password file {} cannot be read ({}); the {} agents read before may still log in",
            file, e.toString(), passwords.users().size());
      }
      snapshot = new Snapshot(now, passwords);
      return passwords;
    }
  }

  private static void report(PasswordFile passwords) {
    passwords.problems().forEach(p -> LOG.warn("MQTT password file: {} This user cannot log in.", p));
    passwords.ignored().forEach(p -> LOG.info("MQTT password file: {}", p));
  }

  private static Optional<Stamp> stamp(Path file) {
    try {
      BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
      return Optional.of(new Stamp(a.lastModifiedTime(), a.size(), a.fileKey()));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** The outcome of a CONNECT. */
  public sealed interface Login {}

  /** The gateway's own client. */
  public record Gateway() implements Login {}

  /** An agent, with the hash it logged in with (to notice when it is revoked or re-issued). */
  public record Agent(AgentUser user, PasswordHash hash) implements Login {}

  /**
   * Refused.
   *
   * @param badCredentials true: unknown user or wrong password (CONNACK "bad username or
   *     password"); false: not allowed (CONNACK "not authorized")
   * @param why for the log; never contains the password
   */
  public record Refused(boolean badCredentials, String why) implements Login {}

  /**
   * Decides a CONNECT.
   *
   * @param willTopic the topic of the client's last will, if it has one: an agent's must be one it
   *     may publish to
   */
  public Login login(Optional<String> username, Optional<ByteBuffer> password, String clientId,
      Optional<String> willTopic) {
    if (username.isEmpty()) {
      return new Refused(false, "no username (anonymous clients are refused when a password file is set)");
    }
    String user = username.get();
    if (GATEWAY_USER.equals(user)) {
      return password.isPresent() && MessageDigest.isEqual(bytes(password.get()), gatewaySecret)
          ? new Gateway() : new Refused(true, "wrong password for the gateway's user");
    }
    Optional<AgentUser> agent = PasswordFile.agentUser(user);
    Optional<PasswordHash> hash = agent.flatMap(a -> passwords().hash(a.username()));
    if (hash.isEmpty()) {
      return new Refused(true, "unknown user");
    }
    if (password.isEmpty() || !hash.get().matches(password.get())) {
      return new Refused(true, "wrong password");
    }
    AgentUser a = agent.get();
    if (GATEWAY_CLIENT_ID.equals(clientId)) {
      return new Refused(false, "client id " + clientId + " is the gateway's");
    }
    if (clientId.startsWith(AGENT_CLIENT_PREFIX) && !clientId.equals(agentClientId(a))) {
      return new Refused(false, "client id " + clientId + " belongs to another agent (its own is "
          + agentClientId(a) + ")");
    }
    if (willTopic.isPresent() && !mayPublish(a, willTopic.get())) {
      return new Refused(false, "last will on " + willTopic.get() + ", not one of its own topics");
    }
    return new Agent(a, hash.get());
  }

  /**
   * Whether an agent logged in with {@code hash} still has it in the password file (read again if
   * it changed): false once it is removed or given a new password.
   */
  public boolean stillValid(AgentUser agent, PasswordHash hash) {
    return passwords().hash(agent.username()).filter(hash::equals).isPresent();
  }

  /** An agent publishes only its own readings, status and events. */
  public static boolean mayPublish(AgentUser a, String topic) {
    return topic.equals(Topics.agent(a.site(), a.agent(), Topics.Kind.READINGS))
        || topic.equals(Topics.agent(a.site(), a.agent(), Topics.Kind.STATUS))
        || topic.equals(Topics.agent(a.site(), a.agent(), Topics.Kind.EVENTS));
  }

  /** An agent subscribes only to its own ack and the gateway's state (exact topics, no wildcards). */
  public static boolean maySubscribe(AgentUser a, String filter) {
    return filter.equals(Topics.agent(a.site(), a.agent(), Topics.Kind.ACK)) || filter.equals(Topics.gatewayState());
  }

  /** The client id the edge agent uses: {@code sangfroid-agent-SITE-AGENT}. */
  static String agentClientId(AgentUser a) {
    return AGENT_CLIENT_PREFIX + a.site() + "-" + a.agent();
  }

  private static byte[] bytes(ByteBuffer b) {
    byte[] out = new byte[b.remaining()];
    b.duplicate().get(out);
    return out;
  }
}
