package org.sangfroid.agent.sensor.coap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.californium.core.CoapHandler;
import org.eclipse.californium.core.CoapObserveRelation;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.MessageObserverAdapter;
import org.eclipse.californium.core.coap.Request;
import org.eclipse.californium.core.coap.Response;
import org.sangfroid.agent.sensor.SensorReading;
import org.sangfroid.agent.sensor.TemperatureSensor;
import org.sangfroid.core.check.Checks;
import org.sangfroid.core.config.ConfigNode;
import org.sangfroid.core.wire.Quality;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A wireless node's temperature, kept from its CoAP notifications. The node pushes; the sampler
 * reads the latest value on its tick like any wired probe, so {@link #read()} never touches the
 * network and never blocks.
 *
 * <p>What {@link #read()} returns:
 *
 * <ul>
 *   <li>the latest valid SenML temperature, while it is at most {@code silentAfter} old. Its age
 *       counts from when the node measured it if the pack says (a relative SenML time, or the
 *       node's clock, never later than the arrival), otherwise from its arrival;
 *   <li>{@link Quality#CRC_ERROR} or {@link Quality#OUT_OF_RANGE} when the latest notification
 *       was not a usable temperature (see {@link Senml}): a faulted reading, not a gap;
 *   <li>{@link Quality#DISCONNECTED} when nothing newer than {@code silentAfter} arrived: the
 *       node is silent (out of radio range, flat battery, DTLS refused, not serving SenML).
 * </ul>
 *
 * <p>Staying subscribed ({@link CoapNodes} calls {@link #supervise(Instant)} on its thread): the
 * observation is registered at start, and again when Californium reports it lost, or when
 * nothing has arrived for half of {@code silentAfter} (a node that only notifies on change is
 * then simply asked again, and a node that rebooted is subscribed again). Failed attempts back
 * off from {@link #FIRST_RETRY} doubling to {@link #MAX_RETRY}. All of it runs on the agent's
 * CoAP thread; the state {@link #read()} sees is one volatile snapshot.
 */
public final class CoapSensor implements TemperatureSensor {
  /** The wait after the first failed attempt; it doubles after each further failure. */
  public static final Duration FIRST_RETRY = Duration.ofSeconds(1);
  /** The longest wait between attempts to reach a node. */
  public static final Duration MAX_RETRY = Duration.ofMinutes(1);

  private static final Logger log = LoggerFactory.getLogger(CoapSensor.class);

  private final String id;
  private final CoapNode node;
  private final Clock clock;
  private final Duration refreshAfter;
  private final CoapNodes.Link link;
  private final Counter accepted;
  private final Counter rejected;
  private final Counter sent;
  private final Counter failed;

  /** The latest notification; null until the first. Written on the CoAP thread only. */
  private volatile Latest latest;
  private volatile boolean closed;

  // Observation state: confined to the CoAP thread.
  private CoapObserveRelation relation;
  private int generation;
  private Instant lastAttempt;
  private Instant lastHeard;
  private int failures;
  private Instant startedAt;
  /** Why the node gave no usable value last time, or empty; written on the CoAP thread. */
  private volatile String problem = "";
  private String loggedProblem = "";
  private Quality reported;

  /** The latest notification: what it said and from when its value counts. */
  private record Latest(SensorReading reading, Instant since) {}

  CoapSensor(String id, CoapNode node, Clock clock, MeterRegistry meters, CoapNodes.Link link) {
    this.id = Checks.requireId("sensor", id);
    this.node = Checks.requireNonNull("node", node);
    this.clock = Checks.requireNonNull("clock", clock);
    this.link = Checks.requireNonNull("link", link);
    Duration half = node.silentAfter().dividedBy(2);
    this.refreshAfter = half.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : half;
    this.accepted = meters.counter("sangfroid.agent.coap.notifications", "sensor", id, "result", "accepted");
    this.rejected = meters.counter("sangfroid.agent.coap.notifications", "sensor", id, "result", "rejected");
    this.sent = meters.counter("sangfroid.agent.coap.observe", "sensor", id, "result", "sent");
    this.failed = meters.counter("sangfroid.agent.coap.observe", "sensor", id, "result", "failed");
  }

  @Override
  public String id() {
    return id;
  }

  /** Where the node is and when it counts as silent. */
  public CoapNode node() {
    return node;
  }

  /**
   * Why the node's latest contact gave no usable temperature (no answer, DTLS refused, an error
   * code, a bad payload), or empty when it was fine or has not happened yet.
   */
  public Optional<String> problem() {
    String p = problem;
    return p.isEmpty() ? Optional.empty() : Optional.of(p);
  }

  /** The latest temperature, or why there is none (see the class comment); never blocks. */
  @Override
  public SensorReading read() {
    Latest l = latest;
    if (l == null || Duration.between(l.since(), clock.instant()).compareTo(node.silentAfter()) > 0) {
      return SensorReading.fault(Quality.DISCONNECTED);
    }
    return l.reading();
  }

  /**
   * Registers the observation if there is none, it was lost, or the node has been quiet for
   * half of {@code silentAfter}, unless the back-off since the last attempt still runs. Called on
   * the CoAP thread; never throws.
   */
  void supervise(Instant now) {
    if (closed) {
      return;
    }
    if (startedAt == null) {
      startedAt = now;
    }
    boolean lost = relation == null || relation.isCanceled();
    Instant last = later(lastHeard, lastAttempt);
    boolean quiet = last == null || !now.isBefore(last.plus(refreshAfter));
    if ((lost || quiet) && (lastAttempt == null || !now.isBefore(lastAttempt.plus(backoff(failures))))) {
      observe(now);
    }
    report(now);
  }

  /** The wait before attempt number {@code failures + 1}: none first, then 1 s doubling to 1 min. */
  static Duration backoff(int failures) {
    if (failures <= 0) {
      return Duration.ZERO;
    }
    long millis = FIRST_RETRY.toMillis() << Math.min(failures - 1, 20);
    return Duration.ofMillis(Math.min(millis, MAX_RETRY.toMillis()));
  }

  private static Instant later(Instant a, Instant b) {
    if (a == null) {
      return b;
    }
    return b == null || a.isAfter(b) ? a : b;
  }

  private void observe(Instant now) {
    forget();
    lastAttempt = now;
    failures++;
    int gen = ++generation;
    Request request = Request.newGet();
    AtomicReference<String> sendError = new AtomicReference<>();
    try {
      request.setURI(node.uri());
      request.setObserve();
      request.getOptions().setAccept(Senml.CONTENT_FORMAT);
      link.prepare(node, request);
      request.addMessageObserver(new MessageObserverAdapter() {
        @Override
        public void onSendError(Throwable error) {
          sendError.set(CoapNodes.describe(error));
        }

        @Override
        public void onReject() {
          sendError.set("the node reset the request (it does not know it)");
        }

        @Override
        public void onTimeout() {
          sendError.set("no answer after the CoAP retransmissions");
        }
      });
      relation = link.client(node).observe(request, new CoapHandler() {
        @Override
        public void onLoad(CoapResponse response) {
          onResponse(gen, response.advanced());
        }

        @Override
        public void onError() {
          onFailure(gen, Optional.ofNullable(sendError.get()).orElse("the request failed"));
        }
      });
      sent.increment();
    } catch (CoapNodes.LinkException e) {
      fail(e.getMessage());
    } catch (IllegalArgumentException e) {
      // setURI resolves the host name: an unknown host lands here.
      fail("cannot be addressed: " + e.getMessage());
    }
  }

  /** Drops the current observation without a word to the node (it gets a reset next time). */
  private void forget() {
    if (relation != null && !relation.isCanceled()) {
      relation.reactiveCancel();
    }
    relation = null;
  }

  private void fail(String why) {
    failed.increment();
    problem = why;
    relation = null;
  }

  /** A response or notification, on the CoAP thread. */
  void onResponse(int gen, Response response) {
    if (closed) {
      return;
    }
    Instant now = clock.instant();
    lastHeard = now;
    if (!response.isSuccess()) {
      // Not a notification: the node ended the observation (4.04: nothing at that path; 4.06: no
      // SenML JSON). Try again after the back-off; the reading turns disconnected meanwhile.
      if (gen == generation) {
        fail("answered " + CoapNodes.code(response.getCode())
            + (response.getPayloadSize() > 0 ? " (" + Senml.excerpt(response.getPayload()) + ")" : ""));
        forget();
      }
      report(now);
      return;
    }
    failures = 0;
    Senml.Result result = CoapNodes.parse(response, now);
    if (result instanceof Senml.Value v) {
      Instant measured = v.measuredAt().filter(t -> t.isBefore(now)).orElse(now);
      latest = new Latest(SensorReading.ok(v.celsius()), measured);
      accepted.increment();
      problem = "";
      if (Duration.between(measured, now).compareTo(node.silentAfter()) > 0) {
        problem = "its latest value was measured at " + measured + " (by the node's clock), more than "
            + ConfigNode.human(node.silentAfter()) + " ago: check the node's clock";
      }
    } else if (result instanceof Senml.Rejected r) {
      latest = new Latest(SensorReading.fault(r.quality()), now);
      rejected.increment();
      problem = r.problem();
    }
    report(now);
  }

  /** The observation failed (no answer, DTLS refused, reset), on the CoAP thread. */
  void onFailure(int gen, String why) {
    if (closed || gen != generation) {
      return;
    }
    fail(why);
    report(clock.instant());
  }

  /**
   * Logs when what the sampler would read changes, or its reason does; not on every tick. The
   * wait for the first notification after start is not a problem unless something failed.
   */
  private void report(Instant now) {
    SensorReading r = read();
    Quality q = r.quality();
    if (q == Quality.OK) {
      if (reported != Quality.OK) {
        log.info("CoAP node {} ({}) reads {} °C", id, node.uri(), String.format(Locale.ROOT, "%.2f", r.celsius()));
      }
      reported = Quality.OK;
      loggedProblem = "";
      return;
    }
    if (q == Quality.DISCONNECTED && latest == null && problem.isEmpty()
        && now.isBefore(startedAt.plus(node.silentAfter()))) {
      return;
    }
    String why = !problem.isEmpty() ? problem
        : latest != null
            ? "nothing new since " + latest.since() + " (silentAfter " + ConfigNode.human(node.silentAfter()) + ")"
        : "no answer since the agent started";
    if (q != reported || !why.equals(loggedProblem)) {
      String what = q == Quality.DISCONNECTED ? "reads disconnected" : "sends no usable temperature (" + q.wire() + ")";
      log.warn("CoAP node {} ({}) {}: {}", id, node.uri(), what, why);
      reported = q;
      loggedProblem = why;
    } else {
      log.debug("CoAP node {} still {}: {}", id, q.wire(), why);
    }
  }

  /** Forgets the observation; later callbacks are ignored. Called on the CoAP thread. */
  void close() {
    closed = true;
    forget();
  }

  @Override
  public String toString() {
    return "CoAP node " + id + " at " + node.uri();
  }
}
