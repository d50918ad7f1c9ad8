package org.sangfroid.agent.sensor.coap;

import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import javax.security.auth.DestroyFailedException;
import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.coap.Request;
import org.eclipse.californium.core.coap.Response;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.elements.config.SystemConfig;
import org.eclipse.californium.elements.config.UdpConfig;
import org.eclipse.californium.scandium.DTLSConnector;
import org.eclipse.californium.scandium.config.DtlsConfig;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;
import org.eclipse.californium.scandium.dtls.AlertMessage.AlertDescription;
import org.eclipse.californium.scandium.dtls.DtlsHandshakeTimeoutException;
import org.eclipse.californium.scandium.dtls.HandshakeException;
import org.eclipse.californium.scandium.dtls.pskstore.AdvancedMultiPskStore;
import org.sangfroid.agent.sensor.SensorReading;
import org.sangfroid.core.check.Checks;
import org.sangfroid.core.config.ConfigNode;
import org.sangfroid.core.wire.Quality;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's side of its wireless nodes: one CoAP endpoint (UDP) for every {@code coap://}
 * node and one DTLS endpoint for every {@code coaps://} node, whatever their number, each
 * opened when the first node needs it, on an ephemeral local port.
 *
 * <p>Threads: {@code sangfroid-coap} supervises the observations every {@link #CHECK_EVERY} and
 * runs every callback of the nodes, one at a time, so the {@link CoapSensor}s need no locks;
 * {@code sangfroid-coap-io} runs Californium's protocol stage and timers; the connectors have
 * their own receiver and sender threads. {@link #close()} stops them all and closes the
 * sockets.
 *
 * <p>Pre-shared keys are read from their files by {@link #add} when the agent starts and live
 * only in Californium's key store, which is wiped on {@link #close()}.
 */
public final class CoapNodes implements AutoCloseable {
  /** How often the observations are checked (real time; the decisions use the agent's clock). */
  public static final Duration CHECK_EVERY = Duration.ofMillis(500);
  /** The wait {@code discover} gives each node. */
  public static final Duration DISCOVER_TIMEOUT = Duration.ofSeconds(5);

  private static final Logger log = LoggerFactory.getLogger(CoapNodes.class);

  private final Clock clock;
  private final MeterRegistry meters;
  private final Configuration config;
  private final ScheduledThreadPoolExecutor worker;
  private final ScheduledThreadPoolExecutor io;
  private final AdvancedMultiPskStore keys = new AdvancedMultiPskStore();
  private final Map<CoapNode, byte[]> keyOf = new HashMap<>();
  private final Map<CoapNode, String> keyProblem = new HashMap<>();
  private final List<CoapSensor> sensors = new ArrayList<>();
  private final Link link = new Link();
  private CoapEndpoint plain;
  private CoapEndpoint secure;
  private ScheduledFuture<?> supervision;
  private boolean closed;

  /** @param clock the agent's clock: silence and back-off are judged on it */
  public CoapNodes(Clock clock, MeterRegistry meters) {
    this(clock, meters, Duration.ofMillis(DtlsConfig.DEFAULT_RETRANSMISSION_TIMEOUT_IN_MILLISECONDS));
  }

  /**
   * @param dtlsRetransmission the first wait for the node's next DTLS handshake flight, doubled
   *     at each of Californium's 4 retransmissions (2 s by default: a key the node refuses is
   *     reported after about a minute)
   */
  CoapNodes(Clock clock, MeterRegistry meters, Duration dtlsRetransmission) {
    this.clock = Checks.requireNonNull("clock", clock);
    this.meters = Checks.requireNonNull("meters", meters);
    this.config = configuration(dtlsRetransmission);
    this.worker = executor("sangfroid-coap");
    this.io = executor("sangfroid-coap-io");
  }

  /**
   * Californium's settings for a small client: one thread per stage; the rest are Californium's
   * defaults (RFC 7252 timing: a confirmable request is retried 4 times over about 93 s).
   * Built from the modules' definitions, not from Californium's global default.
   */
  private static Configuration configuration(Duration dtlsRetransmission) {
    Configuration c = new Configuration(SystemConfig.DEFINITIONS, CoapConfig.DEFINITIONS, UdpConfig.DEFINITIONS,
        DtlsConfig.DEFINITIONS);
    c.set(CoapConfig.PROTOCOL_STAGE_THREAD_COUNT, 1);
    c.set(CoapConfig.MAX_ACTIVE_PEERS, 1000);
    c.set(UdpConfig.UDP_RECEIVER_THREAD_COUNT, 1);
    c.set(UdpConfig.UDP_SENDER_THREAD_COUNT, 1);
    c.set(DtlsConfig.DTLS_ROLE, DtlsConfig.DtlsRole.CLIENT_ONLY);
    c.set(DtlsConfig.DTLS_RECEIVER_THREAD_COUNT, 1);
    c.set(DtlsConfig.DTLS_CONNECTOR_THREAD_COUNT, 1);
    c.set(DtlsConfig.DTLS_MAX_CONNECTIONS, 1000);
    c.set(DtlsConfig.DTLS_RETRANSMISSION_TIMEOUT, dtlsRetransmission.toMillis(), TimeUnit.MILLISECONDS);
    return c;
  }

  private static ScheduledThreadPoolExecutor executor(String name) {
    ThreadFactory named = r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
    ScheduledThreadPoolExecutor e = new ScheduledThreadPoolExecutor(1, named);
    e.setRemoveOnCancelPolicy(true);
    return e;
  }

  /**
   * A sensor for {@code node}, observed once {@link #start()} runs. A key file that cannot be
   * read is logged and leaves that sensor disconnected; the other nodes and probes go on.
   */
  public synchronized CoapSensor add(String id, CoapNode node) {
    Checks.require(!closed && supervision == null, "CoAP nodes", "started", "take sensors before start");
    node.psk().ifPresent(psk -> loadKey(node, psk));
    CoapSensor sensor = new CoapSensor(id, node, clock, meters, link);
    sensors.add(sensor);
    return sensor;
  }

  private void loadKey(CoapNode node, Psk psk) {
    try {
      keyOf.put(node, psk.readKey());
    } catch (Psk.KeyFileException e) {
      log.error("CoAP node at {} cannot be contacted: {}", node.uri(), e.getMessage());
      keyProblem.put(node, e.getMessage());
    }
  }

  /** Starts observing every node; returns at once. */
  public synchronized void start() {
    Checks.require(!closed && supervision == null, "CoAP nodes", closed ? "closed" : "started", "start once");
    supervision = worker.scheduleWithFixedDelay(this::supervise, 0, CHECK_EVERY.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void supervise() {
    for (CoapSensor s : sensorsNow()) {
      try {
        s.supervise(clock.instant());
      } catch (Throwable t) {
        // Guard the schedule: one broken node must not stop the others' supervision.
        log.error("Supervising {} failed; trying again", s, t);
      }
    }
  }

  private synchronized List<CoapSensor> sensorsNow() {
    return closed ? List.of() : List.copyOf(sensors);
  }

  /**
   * What {@code node} says now: one GET (SenML JSON), waiting at most {@code timeout}, for the
   * technician's {@code discover}. Blocking; never throws.
   */
  public Answer read(CoapNode node, Duration timeout) {
    Request request = Request.newGet();
    try {
      request.setURI(node.uri());
      request.getOptions().setAccept(Senml.CONTENT_FORMAT);
      link.prepare(node, request);
      link.endpoint(node).sendRequest(request);
    } catch (IllegalArgumentException e) {
      return Answer.silent("cannot be addressed: " + e.getMessage());
    } catch (LinkException e) {
      return Answer.silent(e.getMessage());
    }
    Response response;
    try {
      response = request.waitForResponse(timeout.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      request.cancel();
      return Answer.silent("interrupted");
    }
    if (response == null) {
      request.cancel();
      Throwable error = request.getSendError();
      return Answer.silent(error != null ? describe(error)
          : request.isRejected() ? "the node reset the request"
          : "no answer within " + ConfigNode.human(timeout)
              + (node.secure() ? " (with coaps://, a node that refuses the key does not answer either)" : ""));
    }
    if (!response.isSuccess()) {
      return Answer.silent("answered " + code(response.getCode()));
    }
    Senml.Result result = parse(response, clock.instant());
    if (result instanceof Senml.Value v) {
      return new Answer(SensorReading.ok(v.celsius()), v.measuredAt()
          .map(t -> "measured " + t + (t.isAfter(clock.instant()) ? " (ahead of this device's clock)" : ""))
          .orElse(""));
    }
    Senml.Rejected r = (Senml.Rejected) result;
    return new Answer(SensorReading.fault(r.quality()), r.problem());
  }

  /**
   * What a node said when asked once.
   *
   * @param reading its temperature, or the fault: {@link Quality#DISCONNECTED} when it did not
   *     answer with a representation
   * @param detail why it is not OK, or a note on an OK reading (its measurement time); may be
   *     empty
   */
  public record Answer(SensorReading reading, String detail) {
    public Answer {
      Checks.requireNonNull("reading", reading);
      Checks.requireNonNull("detail", detail);
    }

    static Answer silent(String why) {
      return new Answer(SensorReading.fault(Quality.DISCONNECTED), why);
    }
  }

  /** The content-format check, then {@link Senml#parse}. */
  static Senml.Result parse(Response response, Instant receivedAt) {
    if (response.getOptions().hasContentFormat()
        && response.getOptions().getContentFormat() != Senml.CONTENT_FORMAT) {
      int cf = response.getOptions().getContentFormat();
      return new Senml.Rejected(Quality.CRC_ERROR, Checks.message("content-format",
          cf + " (" + MediaTypeRegistry.toString(cf) + ")",
          "be " + Senml.CONTENT_FORMAT + " (application/senml+json)"));
    }
    return Senml.parse(response.getPayload(), receivedAt);
  }

  /**
   * A send error for a technician, naming the likely cause of DTLS refusals. A node discards a
   * handshake whose key differs from its own without a word (RFC 6347), so a timeout on the
   * client's fifth flight (its Finished, after the node answered the hello) means the key or
   * identity differ; an earlier one, that the node does not answer DTLS at all.
   */
  static String describe(Throwable error) {
    if (error instanceof DtlsHandshakeTimeoutException t) {
      return t.getFlightNumber() >= 5
          ? "DTLS handshake failed: the node answered but refused the key (psk.identity or the key file"
              + " differ from the node's)"
          : "DTLS handshake failed: no answer from the node (is it on, in range, and serving coaps?)";
    }
    if (error instanceof HandshakeException h && h.getAlert() != null) {
      AlertDescription d = h.getAlert().getDescription();
      String hint = switch (d) {
        case DECRYPT_ERROR, BAD_RECORD_MAC -> ": the pre-shared key differs from the node's";
        case UNKNOWN_PSK_IDENTITY -> ": the node does not know this psk.identity";
        default -> "";
      };
      return "DTLS handshake failed (" + d.name().toLowerCase(Locale.ROOT) + ")" + hint;
    }
    String text = error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
    return (error instanceof HandshakeException ? "DTLS handshake failed: " : "cannot send: ") + text;
  }

  static String code(ResponseCode code) {
    return code + " " + code.name().toLowerCase(Locale.ROOT).replace('_', ' ');
  }

  /**
   * Stops the supervision, forgets every observation (each node learns it at its next
   * notification, by a reset), closes both endpoints and stops the threads, wipes the keys.
   * Bounded (a few seconds); idempotent.
   */
  @Override
  public void close() {
    List<CoapSensor> all;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      if (supervision != null) {
        supervision.cancel(false);
      }
      all = List.copyOf(sensors);
    }
    try {
      // On the CoAP thread, where the observations live; bounded in case it is stuck.
      worker.submit(() -> all.forEach(CoapSensor::close)).get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      log.warn("CoAP observations not cancelled cleanly: {}", e.toString());
    }
    synchronized (this) {
      for (CoapEndpoint e : new CoapEndpoint[] {plain, secure}) {
        if (e != null) {
          e.destroy();
        }
      }
    }
    shutdown(worker);
    shutdown(io);
    try {
      keys.destroy();
    } catch (DestroyFailedException e) {
      log.debug("CoAP key store not wiped: {}", e.toString());
    }
    keyOf.values().forEach(k -> Arrays.fill(k, (byte) 0));
  }

  private static void shutdown(ScheduledThreadPoolExecutor e) {
    e.shutdownNow();
    try {
      if (!e.awaitTermination(5, TimeUnit.SECONDS)) {
        log.warn("A CoAP thread did not stop within 5 s");
      }
    } catch (InterruptedException x) {
      Thread.currentThread().interrupt();
    }
  }

  /** The node cannot be contacted at all; the message says why. */
  static final class LinkException extends Exception {
    private static final long serialVersionUID = 1L;

    LinkException(String message) {
      super(message, null, false, false);
    }
  }

  /** The endpoints, clients and keys, as the sensors and {@link #read} use them. */
  final class Link {
    /** The endpoint for {@code node}'s scheme, opened on first use. */
    CoapEndpoint endpoint(CoapNode node) throws LinkException {
      synchronized (CoapNodes.this) {
        if (closed) {
          throw new LinkException("the agent is stopping");
        }
        try {
          if (node.secure()) {
            if (secure == null) {
              secure = open(new CoapEndpoint.Builder().setConfiguration(config)
                  .setConnector(new DTLSConnector(DtlsConnectorConfig.builder(config)
                      .setAddress(new InetSocketAddress(0))
                      .setAdvancedPskStore(keys)
                      .build()))
                  .build());
            }
            return secure;
          }
          if (plain == null) {
            plain = open(new CoapEndpoint.Builder().setConfiguration(config)
                .setInetSocketAddress(new InetSocketAddress(0)).build());
          }
          return plain;
        } catch (IOException | RuntimeException e) {
          throw new LinkException("this device's CoAP endpoint cannot start: " + e);
        }
      }
    }

    private CoapEndpoint open(CoapEndpoint endpoint) throws IOException {
      endpoint.setExecutors(io, io);
      endpoint.start();
      log.debug("CoAP endpoint {} listening on {}", endpoint.getUri().getScheme(), endpoint.getAddress());
      return endpoint;
    }

    /** A client on the shared endpoint whose callbacks run on the {@code sangfroid-coap} thread. */
    CoapClient client(CoapNode node) throws LinkException {
      CoapClient client = new CoapClient();
      client.setEndpoint(endpoint(node));
      client.setExecutors(worker, worker, true);
      return client;
    }

    /** Registers the node's key for its address, for the DTLS handshake. */
    void prepare(CoapNode node, Request request) throws LinkException {
      Optional<Psk> psk = node.psk();
      if (psk.isEmpty()) {
        return;
      }
      byte[] key;
      synchronized (CoapNodes.this) {
        String problem = keyProblem.get(node);
        if (problem != null) {
          throw new LinkException(problem);
        }
        key = keyOf.get(node);
        if (key == null) {
          loadKey(node, psk.get());
          key = keyOf.get(node);
          if (key == null) {
            throw new LinkException(keyProblem.get(node));
          }
        }
      }
      InetSocketAddress peer = request.getDestinationContext().getPeerAddress();
      keys.addKnownPeer(peer, psk.get().identity(), key);
    }
  }
}
