package org.sangfroid.gateway.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.sangfroid.core.excursion.AlarmKind;
import org.sangfroid.core.excursion.ExcursionEngine;
import org.sangfroid.core.excursion.InputChange;
import org.sangfroid.core.excursion.Sample;
import org.sangfroid.core.excursion.UnitState;
import org.sangfroid.core.wire.Ack;
import org.sangfroid.core.wire.AgentEvent;
import org.sangfroid.core.wire.AgentStatus;
import org.sangfroid.core.wire.Decoded;
import org.sangfroid.core.wire.EventBatch;
import org.sangfroid.core.wire.Reading;
import org.sangfroid.core.wire.ReadingBatch;
import org.sangfroid.core.wire.Topics.AgentTopic;
import org.sangfroid.core.wire.Topics;
import org.sangfroid.core.wire.WireCodec;
import org.sangfroid.gateway.alarm.AlarmBook;
import org.sangfroid.gateway.alarm.AlarmChange;
import org.sangfroid.gateway.audit.AuditTrail;
import org.sangfroid.gateway.config.Fleet;
import org.sangfroid.gateway.config.GatewayConfig.Unit;
import org.sangfroid.gateway.store.GatewayStore;
import org.sangfroid.gateway.store.StoreException;
import org.sangfroid.gateway.store.UnitStateRow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the gateway does with one message from an agent, without any MQTT: read top to bottom,
 * a readings batch is parsed (topic, then payload), checked (the payload names the topic's agent,
 * the agent is configured, every unit is one of its units), then stored in one transaction with
 * everything it causes: duplicates dropped, the agent's watermark advanced (past a gap the agent
 * says it no longer holds), the readings that became contiguous evaluated in sequence order by
 * the excursion engine, unit states and alarms saved. The caller
 * publishes the returned ack and alarm events after the commit.
 *
 * <p>Bad input is a {@link IngestResult.Rejected} value, counted in {@code sangfroid.ingest.rejected}
 * by reason and logged once; it never throws. Calls are serialised by the store's write lock.
 */
public final class Ingest {
  private static final Logger LOG = LoggerFactory.getLogger(Ingest.class);

  private final Fleet fleet;
  private final GatewayStore store;
  private final AlarmBook alarms;
  private final Clock clock;
  private final AuditTrail audit;
  private final Map<RejectReason, Counter> rejected = new EnumMap<>(RejectReason.class);
  private final Counter batches;
  private final Counter stored;
  private final Counter duplicates;
  private final Counter outOfOrder;
  private final Counter missing;
  private final Counter failed;
  private final Counter statuses;
  private final Counter events;

  public Ingest(Fleet fleet, GatewayStore store, AlarmBook alarms, MeterRegistry meters, Clock clock) {
    this.fleet = fleet;
    this.store = store;
    this.alarms = alarms;
    this.clock = clock;
    this.audit = new AuditTrail(clock);
    for (RejectReason r : RejectReason.values()) {
      rejected.put(r, Counter.builder("sangfroid.ingest.rejected").tag("reason", r.tag())
          .description("Messages rejected, not stored and not acked").register(meters));
    }
    batches = Counter.builder("sangfroid.ingest.batches").description("Reading batches committed")
        .register(meters);
    stored = Counter.builder("sangfroid.ingest.readings.stored").description("Readings newly stored")
        .register(meters);
    duplicates = Counter.builder("sangfroid.ingest.readings.duplicate")
        .description("Readings dropped because (site, agent, seq) was already stored").register(meters);
    outOfOrder = Counter.builder("sangfroid.ingest.readings.out_of_order")
        .description("Readings not evaluated: measured before one already evaluated (a clock jump)")
        .register(meters);
    missing = Counter.builder("sangfroid.ingest.readings.missing")
        .description("Readings never received that the agent no longer holds (a data gap)").register(meters);
    failed = Counter.builder("sangfroid.ingest.failed")
        .description("Messages not stored because the database failed").register(meters);
    statuses = Counter.builder("sangfroid.ingest.statuses").description("Agent status messages recorded")
        .register(meters);
    events = Counter.builder("sangfroid.ingest.events.stored")
        .description("Agent events newly stored (door, power, agitator, mute, local alarms)").register(meters);
  }

  /** A message as it arrived from the broker. */
  public record Message(String topic, byte[] payload) {}

  /** Handles a message that arrived on {@code topic}. Never throws. */
  public IngestResult accept(String topic, byte[] payload) {
    return acceptAll(List.of(new Message(topic, payload))).get(0);
  }

  /**
   * Handles messages that arrived together, in order, and returns one result per message. Their
   * reading batches are stored in one transaction (one commit and one fsync for all of them: the
   * gateway's throughput under load); if that transaction fails, each batch is tried again alone,
   * so one message's failure is never another's. Never throws.
   */
  public List<IngestResult> acceptAll(List<Message> messages) {
    List<Step> steps = new ArrayList<>(messages.size());
    for (Message m : messages) {
      steps.add(prepare(m.topic(), m.payload()));
    }
    return acceptPrepared(steps);
  }

  /**
   * Parses and checks a message without the database: a result already (rejected, ignored), a
   * readings batch ready to store, or a status or events message to handle in order. Thread-safe,
   * so {@link MqttLink}'s callback thread decodes a batch while the ingest thread stores the
   * previous ones. Never throws.
   */
  Step prepare(String topic, byte[] payload) {
    return guarded(topic, () -> check(topic, payload));
  }

  /** {@link #acceptAll} for messages already {@linkplain #prepare prepared}, in arrival order. */
  List<IngestResult> acceptPrepared(List<Step> steps) {
    IngestResult[] results = new IngestResult[steps.size()];
    List<Checked> checked = new ArrayList<>();
    for (int i = 0; i < steps.size(); i++) {
      Step step = steps.get(i);
      if (step instanceof Later later) {
        step = guarded(later.topic(), () -> new Done(later.kind() == Topics.Kind.STATUS
            ? status(later.topic(), later.at(), later.payload()) : events(later.topic(), later.at(), later.payload())));
      }
      if (step instanceof Checked c) {
        checked.add(new Checked(i, c.topic(), c.at(), c.batch(), c.units()));
      } else {
        results[i] = ((Done) step).result();
      }
    }
    if (checked.size() > 1) {
      long now = clock.millis();
      try {
        List<Outcome> outcomes = store.write(tx -> {
          List<Outcome> out = new ArrayList<>(checked.size());
          for (Checked c : checked) {
            out.add(storeBatch(tx, c, now));
          }
          return out;
        });
        for (int k = 0; k < checked.size(); k++) {
          results[checked.get(k).index()] = committed(checked.get(k), outcomes.get(k));
        }
        return List.of(results);
      } catch (RuntimeException e) { // the database (StoreException) or a bug
        LOG.warn("{} batches stored together failed ({}); storing each alone", checked.size(), e.toString());
      }
    }
    for (Checked c : checked) {
      long now = clock.millis();
      Step alone = guarded(c.topic(), () -> new Done(committed(c, store.write(tx -> storeBatch(tx, c, now)))));
      results[c.index()] = ((Done) alone).result();
    }
    return List.of(results);
  }

  /**
   * A batch stored in a transaction not yet committed: its result, the readings measured too
   * late, and the readings found lost. Counted and logged only once committed: a combined
   * transaction that fails is retried batch by batch, and must not count twice.
   */
  private record Outcome(IngestResult.Stored result, int late, List<Lost> lost) {}

  /** Seqs {@code from..to} of an agent that will never come, {@code count} of them never stored. */
  private record Lost(AgentTopic agent, long from, long to, long count, String why) {}

  /** What checking a message led to: a result already, a batch ready to store, or a message to handle in order. */
  sealed interface Step permits Done, Checked, Later {}

  private record Done(IngestResult result) implements Step {}

  /** A status or events message: handled on the ingest thread, each in its own transaction. */
  private record Later(String topic, AgentTopic at, Topics.Kind kind, byte[] payload) implements Step {}

  /** A readings batch that passed every check, and the units its readings belong to. */
  private record Checked(int index, String topic, AgentTopic at, ReadingBatch batch, Map<String, Unit> units)
      implements Step {}

  private interface StepWork {
    Step run();
  }

  /** Runs {@code work}; a database or unexpected failure becomes a counted, logged {@link IngestResult.Failed}. */
  private Step guarded(String topic, StepWork work) {
    try {
      return work.run();
    } catch (StoreException e) {
      failed.increment();
      LOG.error("Message on {} not stored, the database failed: {}", topic, e.getMessage(), e);
      return new Done(new IngestResult.Failed(e.getMessage()));
    } catch (RuntimeException e) {
      failed.increment();
      LOG.error("Message on {} not stored: unexpected error", topic, e);
      return new Done(new IngestResult.Failed(String.valueOf(e)));
    }
  }

  private Step check(String topic, byte[] payload) {
    Optional<AgentTopic> parsed = Topics.parse(topic);
    if (parsed.isEmpty()) {
      return new Done(reject(topic, RejectReason.IDENTITY,
          "topic must be sangfroid/v1/{site}/{agent}/{kind} with valid ids"));
    }
    return switch (parsed.get().kind()) {
      case READINGS -> checkReadings(topic, parsed.get(), payload);
      case STATUS, EVENTS -> new Later(topic, parsed.get(), parsed.get().kind(), payload);
      case ACK -> new Done(new IngestResult.Ignored());
    };
  }

  private Step checkReadings(String topic, AgentTopic at, byte[] payload) {
    Decoded<ReadingBatch> decoded = WireCodec.decodeBatch(payload);
    if (decoded instanceof Decoded.Invalid<ReadingBatch> bad) {
      return new Done(reject(topic, RejectReason.ofDecodeCode(bad.code()), bad.reason()));
    }
    ReadingBatch batch = ((Decoded.Valid<ReadingBatch>) decoded).value();
    if (!batch.site().equals(at.site()) || !batch.agent().equals(at.agent())) {
      return new Done(reject(topic, RejectReason.IDENTITY, "payload site/agent [" + batch.site() + "/"
          + batch.agent() + "] must match the topic's [" + at.site() + "/" + at.agent() + "]."));
    }
    if (fleet.agent(at.site(), at.agent()).isEmpty()) {
      return new Done(reject(topic, RejectReason.UNKNOWN_AGENT, notConfigured(at)));
    }
    Map<String, Unit> units = new LinkedHashMap<>();
    for (int i = 0; i < batch.readings().size(); i++) {
      String unitId = batch.readings().get(i).unit();
      if (units.containsKey(unitId)) {
        continue;
      }
      Optional<Unit> unit = fleet.unit(unitId)
          .filter(u -> u.site().equals(at.site()) && u.agent().equals(at.agent()));
      if (unit.isEmpty()) {
        return new Done(reject(topic, RejectReason.UNKNOWN_UNIT, "readings[" + i + "].unit [" + unitId
            + "] must be a unit configured for agent " + at.site() + "/" + at.agent() + "."));
      }
      units.put(unitId, unit.get());
    }
    return new Checked(-1, topic, at, batch, units);
  }

  /** Stores a checked batch and everything it causes, inside the caller's transaction. */
  private Outcome storeBatch(GatewayStore.Tx tx, Checked c, long now) {
    AgentTopic at = c.at();
    ReadingBatch batch = c.batch();
    Map<String, Unit> units = c.units();
    List<Reading> fresh = tx.insertReadings(at.site(), at.agent(), batch.readings(), now);
    long before = tx.watermark(at.site(), at.agent());
    List<AlarmChange> changes = new ArrayList<>();
    List<Lost> lost = new ArrayList<>();
    long gapAt = batch.readings().isEmpty() ? now : batch.readings().get(0).time();
    if (batch.oldest() > 0) {
      changes.addAll(skipMissing(tx, at, batch.oldest() - 1, gapAt, lost, "never reached this gateway and the agent no"
          + " longer holds them (acknowledged to another database, or dropped by the agent)"));
    }
    // The usual batch follows the watermark without holes: its last seq is then where to look
    // for the end of the stored run, not each seq of the batch in turn.
    boolean reachesBatch = tx.watermark(at.site(), at.agent()) >= batch.firstSeq() - 1
        && batch.lastSeq() - batch.firstSeq() + 1 == batch.readings().size();
    long watermark = tx.advanceWatermark(at.site(), at.agent(), reachesBatch ? batch.lastSeq() : 0);
    // Holes the agent's full outbox left between its readings (issue 3): once the watermark
    // reaches a gap it steps over it, as over an "oldest" gap. The agent describes them again
    // when it resends from the watermark, so a gap past a lost batch is not forgotten.
    for (ReadingBatch.Gap gap : batch.gaps()) {
      if (gap.from() > watermark + 1) {
        break;
      }
      if (gap.to() > watermark) {
        changes.addAll(skipMissing(tx, at, gap.to(), gapAt, lost, "were dropped by the agent's full outbox and will never"
            + " reach this gateway"));
        watermark = tx.advanceWatermark(at.site(), at.agent());
      }
    }
    // The engine sees each reading once, in seq order, when everything before it is stored:
    // readings past a gap wait until a resent batch fills it.
    boolean batchIsExactlyDue = before == batch.firstSeq() - 1 && watermark == batch.lastSeq()
        && fresh.size() == batch.readings().size() && batch.gaps().isEmpty();
    List<Reading> due = batchIsExactlyDue ? fresh : tx.readings(at.site(), at.agent(), before, watermark);
    Map<String, Evaluated> states = new LinkedHashMap<>();
    int late = 0;
    for (Reading r : due) {
      Evaluated e = states.get(r.unit());
      if (e == null) {
        Unit configured = units.get(r.unit());
        if (configured == null) {
          configured = fleet.unit(r.unit()).filter(u -> u.site().equals(at.site()) && u.agent().equals(at.agent()))
              .orElse(null);
          if (configured == null) {
            continue; // stored before its unit was removed from the configuration
          }
        }
        e = new Evaluated(configured, alarms.state(tx, configured, now, before));
        states.put(r.unit(), e);
      }
      ExcursionEngine.Outcome outcome =
          ExcursionEngine.onSample(e.unit.profile(), e.state, new Sample(r.time(), r.celsius(), r.valid()), now);
      if (outcome.outOfOrder()) {
        late++;
      }
      e.state = outcome.state();
      if (!outcome.events().isEmpty()) {
        changes.addAll(alarms.record(tx, e.unit, outcome.events()));
      }
    }
    // Every reading up to the watermark is evaluated now: the states include them all (kept in
    // memory, saved with the others every few seconds; rebuilt from the readings after a crash).
    UnitStateRow.Includes includes = new UnitStateRow.Includes(at.site(), at.agent(), watermark);
    for (Evaluated e : states.values()) {
      tx.keepUnitState(e.unit.id(), e.state, includes, now);
    }
    tx.agentSeen(at.site(), at.agent(), now);
    return new Outcome(new IngestResult.Stored(at.site(), at.agent(),
        new Ack(watermark, now, tx.eventsWatermark(at.site(), at.agent())), fresh.size(),
        batch.readings().size() - fresh.size(), changes), late, lost);
  }

  /**
   * Brings each configured unit's engine state up to date with the readings acknowledged after
   * it was last saved. The gateway keeps the states that readings change in memory and saves them
   * every few seconds ({@link GatewayStore#deferUnitStates}); after a crash the saved ones are
   * behind the stored readings, and each state says which readings it includes. The engine
   * evaluates the rest again in sequence order, as it did before the crash. Their alarms are
   * already stored (with the readings, in the same transaction), so only the states change. To
   * call before taking messages.
   *
   * @return how many readings were evaluated again
   */
  public long restoreUnitStates() {
    long now = clock.millis();
    long[] counts = new long[2]; // readings, units
    store.write(tx -> {
      for (Unit unit : fleet.units()) {
        Optional<UnitStateRow> row = tx.unitStateRow(unit.id());
        if (row.isEmpty()) {
          continue; // nothing evaluated yet: the first reading starts it
        }
        long acked = tx.watermark(unit.site(), unit.agent());
        UnitStateRow.Includes upToAcked = new UnitStateRow.Includes(unit.site(), unit.agent(), acked);
        Optional<UnitStateRow.Includes> includes = row.get().includes();
        if (includes.isEmpty()) { // saved before schema V12: with every transaction, so complete
          tx.saveUnitState(unit.id(), row.get().state(), upToAcked, row.get().updatedAt());
          continue;
        }
        // A unit moved to another agent: its state includes none of the new agent's readings
        // measured after the state's last one.
        long after = includes.get().site().equals(unit.site()) && includes.get().agent().equals(unit.agent())
            ? includes.get().seq() : 0;
        if (after >= acked) {
          continue;
        }
        UnitState[] state = {row.get().state()};
        long n = tx.unitReadings(unit.id(), unit.site(), unit.agent(), after, acked, state[0].lastSampleAt(), r ->
            state[0] = ExcursionEngine.onSample(unit.profile(), state[0], new Sample(r.time(), r.celsius(), r.valid()),
                r.time()).state());
        if (n > 0) {
          counts[0] += n;
          counts[1]++;
        }
        tx.saveUnitState(unit.id(), state[0], upToAcked, n > 0 ? now : row.get().updatedAt());
      }
      return null;
    });
    if (counts[0] > 0) {
      LOG.warn("Engine state of {} units brought up to date with {} readings stored after it was last saved (the"
          + " gateway had stopped without saving it)", counts[1], counts[0]);
    }
    return counts[0];
  }

  /** A unit whose readings a batch brings, and its engine state as they are evaluated. */
  private static final class Evaluated {
    final Unit unit;
    UnitState state;

    Evaluated(Unit unit, UnitState state) {
      this.unit = unit;
      this.state = state;
    }
  }

  /** Counts and logs a stored batch once its transaction is committed, and hands its alarms on. */
  private IngestResult.Stored committed(Checked c, Outcome outcome) {
    IngestResult.Stored result = outcome.result();
    outOfOrder.increment(outcome.late());
    batches.increment();
    stored.increment(result.stored());
    duplicates.increment(result.duplicates());
    alarms.committed(result.alarms());
    for (Lost l : outcome.lost()) {
      missing.increment(l.count());
      LOG.warn("{}/{}: {} readings (seq {} to {}) {}", l.agent().site(), l.agent().agent(), l.count(), l.from(), l.to(),
          l.why());
    }
    if (result.duplicates() > 0) {
      LOG.debug("{}/{}: {} duplicate readings dropped (seq {}..{})", c.at().site(), c.at().agent(),
          result.duplicates(), c.batch().firstSeq(), c.batch().lastSeq());
    }
    return result;
  }

  /**
   * Moves the watermark past readings that will never come, adding them to {@code found} (counted
   * and logged once committed); a real hole raises SEQUENCE_GAP on each unit of the agent (which units the lost readings were of is
   * unknown) and writes {@code readings.lost} to the audit trail with the range (see
   * {@link AlarmBook#recordEvent}: at {@code at}, measurement time).
   */
  private List<AlarmChange> skipMissing(GatewayStore.Tx tx, AgentTopic agent, long upTo, long at, List<Lost> found,
      String why) {
    long from = tx.watermark(agent.site(), agent.agent()) + 1;
    long lost = tx.skipTo(agent.site(), agent.agent(), upTo);
    if (lost <= 0) {
      return List.of();
    }
    found.add(new Lost(agent, from, upTo, lost, why));
    Map<String, Object> details = new TreeMap<>();
    details.put("site", agent.site());
    details.put("agent", agent.agent());
    details.put("from", from);
    details.put("to", upTo);
    details.put("lost", lost);
    details.put("why", why);
    audit.append(tx, AuditTrail.SYSTEM, "readings.lost", "agent/" + agent.site() + "/" + agent.agent(), details);
    List<AlarmChange> changes = new ArrayList<>();
    for (Unit u : fleet.agent(agent.site(), agent.agent()).map(a -> a.units()).orElse(List.of())) {
      changes.addAll(alarms.recordEvent(tx, u, AlarmKind.SEQUENCE_GAP, at,
          clock.millis() - at > ExcursionEngine.LATE_AFTER.toMillis()));
    }
    return changes;
  }

  /**
   * Stores an agent's events once per (agent, event seq) and acks them with their own watermark.
   * Door, power and agitator changes go to the unit's engine at once, in their own time order
   * (core's {@link ExcursionEngine#onInput}), whatever the state of the readings' backlog: that is
   * why they travel apart. Mute and the agent's own alarms are stored and logged for the record.
   */
  private IngestResult events(String topic, AgentTopic at, byte[] payload) {
    Decoded<EventBatch> decoded = WireCodec.decodeEvents(payload);
    if (decoded instanceof Decoded.Invalid<EventBatch> bad) {
      return reject(topic, RejectReason.ofDecodeCode(bad.code()), bad.reason());
    }
    EventBatch batch = ((Decoded.Valid<EventBatch>) decoded).value();
    if (!batch.site().equals(at.site()) || !batch.agent().equals(at.agent())) {
      return reject(topic, RejectReason.IDENTITY, "payload site/agent [" + batch.site() + "/" + batch.agent()
          + "] must match the topic's [" + at.site() + "/" + at.agent() + "].");
    }
    if (fleet.agent(at.site(), at.agent()).isEmpty()) {
      return reject(topic, RejectReason.UNKNOWN_AGENT, notConfigured(at));
    }
    for (int i = 0; i < batch.events().size(); i++) {
      String unitId = batch.events().get(i).unit();
      if (fleet.unit(unitId).filter(u -> u.site().equals(at.site()) && u.agent().equals(at.agent())).isEmpty()) {
        return reject(topic, RejectReason.UNKNOWN_UNIT, "events[" + i + "].unit [" + unitId
            + "] must be a unit configured for agent " + at.site() + "/" + at.agent() + ".");
      }
    }
    long now = clock.millis();
    IngestResult.Stored result = store.write(tx -> {
      List<AgentEvent> fresh = new ArrayList<>();
      for (AgentEvent e : batch.events()) {
        if (tx.insertEvent(at.site(), at.agent(), e, now)) {
          fresh.add(e);
        }
      }
      fresh.sort(Comparator.comparingLong(AgentEvent::time).thenComparingLong(AgentEvent::seq));
      List<AlarmChange> changes = new ArrayList<>();
      Map<String, UnitState> states = new LinkedHashMap<>();
      Map<String, UnitState> before = new LinkedHashMap<>();
      for (AgentEvent e : fresh) {
        Optional<InputChange.Input> input = input(e.type());
        LOG.info("{}/{}: unit {} {} {} at {}{}", at.site(), at.agent(), e.unit(), e.type().wire(),
            e.active() ? "on" : "off", Instant.ofEpochMilli(e.time()),
            e.detail().isEmpty() ? "" : " (" + e.detail() + ")");
        if (input.isEmpty()) {
          continue;
        }
        Unit unit = fleet.unit(e.unit()).orElseThrow();
        UnitState state = states.computeIfAbsent(unit.id(), id -> {
          UnitState s0 = alarms.state(tx, unit, now);
          before.put(id, s0);
          return s0;
        });
        ExcursionEngine.Outcome outcome = ExcursionEngine.onInput(unit.profile(), state,
            new InputChange(input.get(), e.active(), e.time()), now);
        states.put(unit.id(), outcome.state());
        changes.addAll(alarms.record(tx, unit, outcome.events()));
      }
      states.forEach((id, s1) -> {
        if (!s1.equals(before.get(id))) {
          tx.saveUnitState(id, s1, now);
        }
      });
      long eventsUpTo = tx.advanceEventsWatermark(at.site(), at.agent());
      tx.agentSeen(at.site(), at.agent(), now);
      return new IngestResult.Stored(at.site(), at.agent(),
          new Ack(tx.watermark(at.site(), at.agent()), now, eventsUpTo), fresh.size(),
          batch.events().size() - fresh.size(), changes);
    });
    events.increment(result.stored());
    alarms.committed(result.alarms());
    return result;
  }

  /** The engine's input for an event type; empty for mute and local alarms. */
  private static Optional<InputChange.Input> input(AgentEvent.Type type) {
    return switch (type) {
      case DOOR_OPEN -> Optional.of(InputChange.Input.DOOR_OPEN);
      case POWER_LOST -> Optional.of(InputChange.Input.POWER_LOST);
      case AGITATOR_STOPPED -> Optional.of(InputChange.Input.AGITATOR_STOPPED);
      case ALARM_MUTED, LOCAL_ALARM -> Optional.empty();
    };
  }

  private IngestResult status(String topic, AgentTopic at, byte[] payload) {
    Decoded<AgentStatus> decoded = WireCodec.decodeStatus(payload);
    if (decoded instanceof Decoded.Invalid<AgentStatus> bad) {
      return reject(topic, RejectReason.ofDecodeCode(bad.code()), bad.reason());
    }
    if (fleet.agent(at.site(), at.agent()).isEmpty()) {
      return reject(topic, RejectReason.UNKNOWN_AGENT, notConfigured(at));
    }
    AgentStatus status = ((Decoded.Valid<AgentStatus>) decoded).value();
    long now = clock.millis();
    store.write(tx -> {
      tx.agentStatus(at.site(), at.agent(), status, now);
      tx.agentOutboxHealth(at.site(), at.agent(), status);
      calibrationDue(tx, at, status, now);
      return null;
    });
    statuses.increment();
    LOG.info("Agent {}/{} is {}{}", at.site(), at.agent(), status.online() ? "online" : "offline",
        status.online() ? " (version " + status.version() + ", " + status.outboxDepth() + " readings waiting"
            + (status.dropped().orElse(0) > 0 ? ", " + status.dropped().getAsLong() + " dropped from its full outbox"
                : "") + ")" : "");
    return new IngestResult.StatusRecorded(at.site(), at.agent(), status);
  }

  /**
   * Gives each unit of the agent the earliest calibration due date of its probes, as the status
   * reports them, for the engine's CALIBRATION_OVERDUE (raised by the tick against the gateway
   * clock). A status without probe details changes nothing.
   */
  private void calibrationDue(GatewayStore.Tx tx, AgentTopic at, AgentStatus status, long now) {
    Map<String, Long> due = new LinkedHashMap<>();
    for (AgentStatus.Probe p : status.probes()) {
      if (p.calibrationDue().isPresent()) {
        due.merge(p.unit(), p.calibrationDue().getAsLong(), Math::min);
      }
    }
    due.forEach((unitId, dueAt) -> fleet.unit(unitId)
        .filter(u -> u.site().equals(at.site()) && u.agent().equals(at.agent()))
        .ifPresent(u -> {
          UnitState before = alarms.state(tx, u, now);
          UnitState after = ExcursionEngine.withCalibrationDue(before, dueAt);
          if (!after.equals(before)) {
            tx.saveUnitState(u.id(), after, now);
          }
        }));
  }

  /** Network text made safe for one log line (no forged lines, bounded length). */
  private static String printable(String s) {
    String clean = s.codePoints()
        .map(c -> Character.isISOControl(c) ? '?' : c)
        .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
        .toString();
    return clean.length() > 300 ? clean.substring(0, 300) + "…" : clean;
  }

  private static String notConfigured(AgentTopic at) {
    return "agent [" + at.site() + "/" + at.agent() + "] is not configured on this gateway.";
  }

  private IngestResult reject(String topic, RejectReason reason, String detail) {
    rejected.get(reason).increment();
    LOG.warn("Rejected message on {}: {}: {}", printable(topic), reason.tag(), printable(detail));
    return new IngestResult.Rejected(reason, detail);
  }
}
