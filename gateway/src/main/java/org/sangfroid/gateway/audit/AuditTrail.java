package org.sangfroid.gateway.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import org.sangfroid.gateway.store.AuditRow;
import org.sangfroid.gateway.store.GatewayStore.Tx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes audit entries inside the caller's transaction, so an entry exists exactly when the change
 * it records was committed. Each entry is chained to the one before:
 *
 * <pre>
 * hash = hex(SHA-256(UTF-8(JSON array [prevHash, seq, time, actor, action, subject, details])))
 * </pre>
 *
 * where {@code details} is the entry's canonical JSON text (keys sorted, no spaces) as a JSON
 * string, and the first entry's {@code prevHash} is {@link #GENESIS}. Anyone can recompute it
 * (no secret key): the chain shows that a row was edited, removed or inserted, unless whoever
 * edited it also recomputed every later hash — which a copy of the head kept elsewhere reveals.
 * Thread-safe (the store serialises transactions, so seq is last + 1 without gaps).
 */
public final class AuditTrail {
  /** The actor of what the gateway does by itself (the engine, the start). */
  public static final String SYSTEM = "system";
  /** The previous hash of the first entry: 64 zeros. */
  public static final String GENESIS = "0".repeat(64);

  private static final Logger LOG = LoggerFactory.getLogger(AuditTrail.class);
  private static final ObjectMapper CANONICAL = new ObjectMapper()
      .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

  private final Clock clock;

  /** @param clock the gateway clock: each entry's time */
  public AuditTrail(Clock clock) {
    this.clock = clock;
  }

  /**
   * Appends an entry in {@code tx}: seq and prevHash follow the newest entry.
   *
   * @param details a map of JSON values (strings, numbers, booleans, null, nested maps and lists);
   *     written as canonical JSON
   */
  public AuditRow append(Tx tx, String actor, String action, String subject, Map<String, ?> details) {
    Optional<AuditRow> head = tx.auditHead();
    long seq = head.map(h -> h.seq() + 1).orElse(1L);
    String prev = head.map(AuditRow::hash).orElse(GENESIS);
    long time = clock.millis();
    String json = canonicalJson(details);
    AuditRow row = new AuditRow(seq, time, actor, action, subject, json, prev,
        hash(prev, seq, time, actor, action, subject, json));
    tx.appendAudit(row);
    return row;
  }

  /** The hash of an entry with these fields (see the class comment). */
  public static String hash(String prevHash, long seq, long time, String actor, String action, String subject,
      String details) {
    String text = canonicalJson(Arrays.asList(prevHash, seq, time, actor, action, subject, details));
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(sha.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  /** The hash a stored row should have, from its content. */
  public static String hashOf(AuditRow r) {
    return hash(r.prevHash(), r.seq(), r.time(), r.actor(), r.action(), r.subject(), r.details());
  }

  /** {@code value} as JSON with map keys sorted and no spaces. */
  public static String canonicalJson(Object value) {
    try {
      return CANONICAL.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("audit details must be plain JSON values: " + e.getMessage(), e);
    }
  }

  /** Logs the head at INFO, so a copy of it outlives the database (journal, log collector). */
  public static void logHead(Optional<AuditRow> head) {
    if (head.isPresent()) {
      LOG.info("Audit trail head: seq {}, hash {}", head.get().seq(), head.get().hash());
    } else {
      LOG.info("Audit trail head: empty");
    }
  }
}
