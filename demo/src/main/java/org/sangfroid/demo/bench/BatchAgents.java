package org.sangfroid.demo.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.sangfroid.core.wire.Ack;
import org.sangfroid.core.wire.Decoded;
import org.sangfroid.core.wire.Topics;
import org.sangfroid.core.wire.WireCodec;

/**
 * Simulated agents that publish prebuilt readings batches, one thread each, QoS 1, as fast as
 * their window lets them: at most {@code window} batches without a PUBACK and, when the gateway
 * is measured, at most {@code window} batches that the gateway has not acked (as the agent's
 * publisher does). Each listens to its own ack topic.
 */
final class BatchAgents implements AutoCloseable {
  /** What frees a place in the window. */
  enum Flow {
    /** The broker's PUBACK (nothing acks on the agents' ack topics). */
    PUBACK,
    /** The gateway's ack of every reading of the batch, and the PUBACK. */
    GATEWAY_ACK
  }

  private final List<Agent> agents = new ArrayList<>();

  /** Connects one client per agent, each subscribed to its ack topic. */
  BatchAgents(String url, Workload workload, String clientPrefix) throws MqttException {
    try {
      for (int a = 0; a < workload.agents(); a++) {
        agents.add(new Agent(url, workload.site(), workload.agent(a), clientPrefix + "-" + a));
      }
    } catch (MqttException | RuntimeException e) {
      close();
      throw e;
    }
  }

  /**
   * Publishes {@code batches.get(a)} as agent {@code a}, all agents at once, and returns when each
   * has published everything (and, with {@link Flow#GATEWAY_ACK}, everything is acked up to
   * {@code lastSeq.get(a)}).
   *
   * @throws BenchException when that takes longer than {@code timeout}, or a publish fails
   */
  void publishAll(List<List<byte[]>> batches, List<Long> lastSeq, int batchSize, int window, Flow flow,
      Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    List<Thread> threads = new ArrayList<>();
    for (int a = 0; a < agents.size(); a++) {
      Agent agent = agents.get(a);
      List<byte[]> mine = batches.get(a);
      long last = lastSeq.get(a);
      Thread t = new Thread(() -> {
        try {
          agent.publish(mine, batchSize, window, flow, deadline);
          if (flow == Flow.GATEWAY_ACK) {
            agent.awaitAck(last, deadline);
          }
        } catch (Throwable e) {
          failure.compareAndSet(null, e);
        }
      }, "bench-agent-" + a);
      threads.add(t);
    }
    threads.forEach(Thread::start);
    for (Thread t : threads) {
      t.join();
    }
    if (failure.get() != null) {
      throw new BenchException("a simulated agent failed: " + failure.get(), failure.get());
    }
  }

  /** Publishes one message as agent {@code a} and returns at once (QoS 1). */
  void publishOne(int a, byte[] payload) throws MqttException {
    Agent agent = agents.get(a);
    agent.client.publish(agent.readingsTopic, payload, 1, false);
  }

  /** The readings the gateway has acked, summed over the agents. */
  long ackedTotal() {
    long total = 0;
    for (Agent a : agents) {
      a.lock.lock();
      try {
        total += a.ackedUpTo;
      } finally {
        a.lock.unlock();
      }
    }
    return total;
  }

  @Override
  public void close() {
    agents.forEach(a -> Mqtt.close(a.client));
  }

  private static final class Agent implements MqttCallback {
    final MqttAsyncClient client;
    final String readingsTopic;
    final String ackTopic;
    final ReentrantLock lock = new ReentrantLock();
    final Condition acked = lock.newCondition();
    long ackedUpTo;

    Agent(String url, String site, String agent, String clientId) throws MqttException {
      readingsTopic = Topics.agent(site, agent, Topics.Kind.READINGS);
      ackTopic = Topics.agent(site, agent, Topics.Kind.ACK);
      client = Mqtt.connect(url, clientId, true, 1000);
      client.setCallback(this);
      Mqtt.subscribe(client, ackTopic);
    }

    void publish(List<byte[]> batches, int batchSize, int window, Flow flow, long deadline)
        throws MqttException, InterruptedException {
      Semaphore pubacks = new Semaphore(window);
      AtomicReference<Throwable> failed = new AtomicReference<>();
      IMqttActionListener release = new IMqttActionListener() {
        @Override
        public void onSuccess(IMqttToken token) {
          pubacks.release();
        }

        @Override
        public void onFailure(IMqttToken token, Throwable e) {
          failed.compareAndSet(null, e);
          pubacks.release();
        }
      };
      long sentUpTo = 0;
      for (byte[] batch : batches) {
        if (!pubacks.tryAcquire(left(deadline), TimeUnit.NANOSECONDS)) {
          throw new BenchException("no PUBACK from the broker in time on " + readingsTopic, null);
        }
        if (flow == Flow.GATEWAY_ACK) {
          awaitAck(sentUpTo - (long) (window - 1) * batchSize, deadline);
        }
        if (failed.get() != null) {
          throw new BenchException("publishing on " + readingsTopic + " failed: " + failed.get(), failed.get());
        }
        client.publish(readingsTopic, batch, 1, false, null, release);
        sentUpTo += batchSize;
      }
      if (!pubacks.tryAcquire(window, left(deadline), TimeUnit.NANOSECONDS)) {
        throw new BenchException("the last PUBACKs on " + readingsTopic + " did not come in time", null);
      }
    }

    void awaitAck(long seq, long deadline) throws InterruptedException {
      lock.lock();
      try {
        while (ackedUpTo < seq) {
          long left = left(deadline);
          if (left <= 0) {
            throw new BenchException("the gateway acked " + ackTopic + " only up to " + ackedUpTo + " of " + seq
                + " in time", null);
          }
          acked.awaitNanos(left);
        }
      } finally {
        lock.unlock();
      }
    }

    private static long left(long deadline) {
      return deadline - System.nanoTime();
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
      if (WireCodec.decodeAck(message.getPayload()) instanceof Decoded.Valid<Ack> ack) {
        lock.lock();
        try {
          ackedUpTo = Math.max(ackedUpTo, ack.value().upTo());
          acked.signalAll();
        } finally {
          lock.unlock();
        }
      }
    }

    @Override
    public void connectionLost(Throwable cause) {
      // A publish then fails or the wait times out, and the bench says so.
    }

    @Override
    public void deliveryComplete(IMqttDeliveryToken token) {
      // counted through the publish listener
    }
  }
}
