package org.sangfroid.agent.publish;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.client.mqttv3.IMqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.sangfroid.agent.outbox.EventOutbox;
import org.sangfroid.core.check.Checks;
import org.sangfroid.core.wire.AgentEvent;
import org.sangfroid.core.wire.EventBatch;
import org.sangfroid.core.wire.Topics;
import org.sangfroid.core.wire.WireCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The events' priority lane of the {@link MqttPublisher}: every event not yet sent goes out on
 * {@code .../events} at the start of each turn of the publisher's loop, before any readings batch,
 * and whatever the readings' window holds (a door opened during a week-long outage reaches the
 * gateway before the week of readings). Same store-and-forward rules as the readings: an event
 * leaves the {@link EventOutbox} only when the ack's {@code events} covers it; everything
 * unacked is sent again on a new session and when the ack makes no progress for
 * {@code ackTimeout}. Events are rare, so the lane has no window of its own: at most
 * {@link EventBatch#MAX_EVENTS} a message, as many messages as it takes.
 *
 * <p>The publisher's loop thread calls everything but {@link #onAck}, which Paho's callback
 * thread calls.
 */
final class EventLane {
  private static final Logger log = LoggerFactory.getLogger(EventLane.class);

  private final EventOutbox events;
  private final String site;
  private final String agent;
  private final String topic;
  private final Duration ackTimeout;
  private final AtomicLong ackedUpTo = new AtomicLong();
  private final Counter published;
  private final Counter acked;
  private final Counter resends;

  // Owned by the loop thread.
  private long sentUpTo;
  private long appliedAck;
  private long lastProgress;

  EventLane(EventOutbox events, String site, String agent, Duration ackTimeout, MeterRegistry meters) {
    this.events = Checks.requireNonNull("events", events);
    this.site = site;
    this.agent = agent;
    this.topic = Topics.agent(site, agent, Topics.Kind.EVENTS);
    this.ackTimeout = ackTimeout;
    this.published = meters.counter("sangfroid.agent.events.published");
    this.acked = meters.counter("sangfroid.agent.events.acked");
    this.resends = meters.counter("sangfroid.agent.events.resends");
  }

  /** The gateway has stored every event up to {@code upTo} (from an ack; any thread). */
  void onAck(long upTo) {
    ackedUpTo.accumulateAndGet(upTo, Math::max);
  }

  /** The highest event seq the gateway has acknowledged (0 until the first). */
  long ackedUpTo() {
    return ackedUpTo.get();
  }

  /** Forgets acknowledged events. */
  void applyAck(long now) {
    long upTo = ackedUpTo.get();
    if (upTo <= appliedAck) {
      return;
    }
    if (events.continueAfter(upTo)) {
      log.error("The gateway has stored events up to seq {}, but this outbox ({}) never numbered that far: it was"
          + " replaced. Waiting events were renumbered to follow seq {} so the gateway keeps them.", upTo,
          events.file(), upTo);
      sentUpTo = upTo;
    }
    acked.increment(events.deleteUpTo(upTo));
    appliedAck = upTo;
    lastProgress = now;
  }

  /** A new session: whatever was sent but not acked may be lost; send it again. */
  void onConnected(long now) {
    sentUpTo = ackedUpTo.get();
    lastProgress = now;
  }

  /**
   * Publishes every event not sent yet (all unacked ones again once the ack timeout has passed).
   * Stops at the first message Paho does not take; the next turn tries again.
   */
  void publish(IMqttAsyncClient client, long now) {
    long upTo = ackedUpTo.get();
    if (now < lastProgress) {
      lastProgress = now;  // the device clock stepped back
    }
    if (sentUpTo > upTo && now - lastProgress >= ackTimeout.toMillis()) {
      resends.increment();
      log.warn("No ack of events from the gateway for {} s (acked up to {}, sent up to {}): resending from event {}",
          ackTimeout.toSeconds(), upTo, sentUpTo, upTo + 1);
      sentUpTo = upTo;
      lastProgress = now;
    }
    while (true) {
      long after = Math.max(upTo, sentUpTo);
      List<AgentEvent> batch = events.readAfter(after, EventBatch.MAX_EVENTS);
      if (batch.isEmpty()) {
        return;
      }
      EventBatch message = new EventBatch(site, agent, batch);
      try {
        client.publish(topic, WireCodec.encode(message), 1, false);
      } catch (MqttException e) {
        if (e.getReasonCode() != MqttException.REASON_CODE_MAX_INFLIGHT) {
          log.warn("Publishing events {}..{} failed: {}", batch.get(0).seq(), batch.get(batch.size() - 1).seq(),
              e.getMessage());
        }
        return;
      }
      if (sentUpTo <= upTo) {
        lastProgress = now;  // the ack timeout runs from the first event waiting for it
      }
      published.increment(batch.size());
      sentUpTo = batch.get(batch.size() - 1).seq();
    }
  }

  /** How long until the ack timeout of the events sent runs out; a long time when none waits. */
  Duration untilDue(long now) {
    if (sentUpTo <= ackedUpTo.get()) {
      return Duration.ofDays(1);
    }
    return Duration.ofMillis(Math.max(1, lastProgress + ackTimeout.toMillis() - now));
  }
}
