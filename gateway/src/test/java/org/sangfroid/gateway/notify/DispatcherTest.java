package org.sangfroid.gateway.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sangfroid.gateway.MutableClock;
import org.sangfroid.gateway.alarm.AlarmChange;
import org.sangfroid.gateway.alarm.TickLoop;
import org.sangfroid.gateway.store.AlarmRow;
import org.sangfroid.gateway.store.GatewayStore;
import org.sangfroid.gateway.store.GatewayStore.Tx;
import org.sangfroid.gateway.store.NotificationRow;

/** The dispatcher's queue in a real SQLite file, with fake notifiers. */
class DispatcherTest {
  @TempDir Path dir;

  private final MutableClock clock = new MutableClock(NotifyFixtures.RAISED);
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private GatewayStore store;

  @BeforeEach
  void open() {
    store = GatewayStore.open(dir.resolve("gateway.db"));
  }

  @AfterEach
  void close() {
    store.close();
  }

  private Dispatcher dispatcher(Notifier notifier, Duration giveUpAfter, Duration stopWait) {
    return dispatcher(new Channel(Channel.WEBHOOK, "http://fake/hook", notifier), giveUpAfter, stopWait);
  }

  private Dispatcher dispatcher(Channel channel, Duration giveUpAfter, Duration stopWait) {
    return new Dispatcher(List.of(channel), store, () -> NotifyFixtures.API,
        new Backoff(Duration.ofMillis(10), Duration.ofMillis(20), giveUpAfter, 0), clock,
        TickLoop.namedThreads("test-notify"), meters, stopWait);
  }

  @Test
  void oneMessageThrowsAnError_othersAreStillDelivered_andItBecomesADeadLetterThatTheFailureHookRecords() {
    AlarmRow bad = QueueFixture.alarm(store, "u1");
    AlarmRow ok2 = QueueFixture.alarm(store, "u2");
    AlarmRow ok3 = QueueFixture.alarm(store, "u3");
    Set<Long> delivered = ConcurrentHashMap.newKeySet();
    Queue<String> failures = new ConcurrentLinkedQueue<>();
    Notifier notifier = n -> {
      if (n.alarmId() == bad.id()) {
        throw new StackOverflowError("bad message");
      }
      delivered.add(n.alarmId());
    };
    try (Dispatcher d = dispatcher(notifier, Duration.ZERO, Duration.ofSeconds(5))) {
      d.onFailure(new Dispatcher.Failures() {
        @Override
        public List<AlarmChange> record(Tx tx, NotificationRow letter, String error) {
          failures.add(letter.alarmId() + ": " + error);
          return List.of();
        }

        @Override
        public void committed(List<AlarmChange> changes) {}
      });
      d.start();
      QueueFixture.queue(store, d, bad, ok2, ok3);

      await().atMost(Duration.ofSeconds(5)).until(() -> d.pending() == 0);
      assertThat(delivered).containsExactlyInAnyOrder(ok2.id(), ok3.id());
      assertThat(d.deadLetters()).singleElement().satisfies(l -> {
        assertThat(l.alarmId()).isEqualTo(bad.id());
        assertThat(l.lastError()).isEqualTo("bad message");
        assertThat(l.attempts()).isEqualTo(1);
      });
      assertThat(failures).containsExactly(bad.id() + ": bad message");
      assertThat(meters.get("sangfroid.notify.delivered").tag("channel", "webhook").counter().count()).isEqualTo(2);
      assertThat(meters.get("sangfroid.notify.failed").tag("channel", "webhook").counter().count()).isEqualTo(1);
    }
  }

  @Test
  void messagesQueuedBeforeAStop_areDeliveredOnceByTheNextStart() {
    AlarmRow a = QueueFixture.alarm(store, "u1");
    AlarmRow b = QueueFixture.alarm(store, "u2");
    Queue<Long> delivered = new ConcurrentLinkedQueue<>();
    Dispatcher stopped = dispatcher(n -> delivered.add(n.alarmId()), Duration.ofHours(1), Duration.ofSeconds(1));
    store.write(tx -> { // queued, never started: the gateway stopped before delivering
      QueueFixture.queueIn(tx, stopped, a, b);
      return null;
    });
    stopped.close();
    assertThat(delivered).isEmpty();
    assertThat(store.pendingNotifications()).isEqualTo(2);

    try (Dispatcher restarted = dispatcher(n -> delivered.add(n.alarmId()), Duration.ofHours(1),
        Duration.ofSeconds(1)).start()) {
      await().atMost(Duration.ofSeconds(5)).until(() -> restarted.pending() == 0);
    }
    assertThat(delivered).containsExactlyInAnyOrder(a.id(), b.id());
  }

  @Test
  void aRowForAChannelNoLongerConfigured_becomesADeadLetterSayingSo() {
    AlarmRow a = QueueFixture.alarm(store, "u1");
    Dispatcher old = dispatcher(new Channel(Channel.WEBHOOK, "http://old/hook", n -> { }), Duration.ofHours(1),
        Duration.ofSeconds(1));
    store.write(tx -> { // queued by a gateway configured with another webhook, which stopped before sending
      QueueFixture.queueIn(tx, old, a);
      return null;
    });
    old.close();

    try (Dispatcher now = dispatcher(n -> { }, Duration.ofHours(1), Duration.ofSeconds(1)).start()) {
      await().atMost(Duration.ofSeconds(5)).until(() -> !now.deadLetters().isEmpty());
      assertThat(now.deadLetters().get(0).lastError()).contains("no longer configured").contains("http://old/hook");
    }
  }

  @Test
  void close_whileADeliveryHangs_returnsAfterTheBoundedWait_andTheMessageStaysQueued() {
    AlarmRow a = QueueFixture.alarm(store, "u1");
    CountDownLatch started = new CountDownLatch(1);
    AtomicBoolean interrupted = new AtomicBoolean();
    Notifier hanging = n -> {
      started.countDown();
      try {
        new CountDownLatch(1).await();
      } catch (InterruptedException e) {
        interrupted.set(true);
        Thread.currentThread().interrupt();
        throw new DeliveryException("interrupted", e);
      }
    };
    Dispatcher d = dispatcher(hanging, Duration.ofHours(1), Duration.ofMillis(200)).start();
    QueueFixture.queue(store, d, a);
    await().atMost(Duration.ofSeconds(5)).until(() -> started.getCount() == 0);

    long t0 = System.nanoTime();
    d.close();

    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
    await().atMost(Duration.ofSeconds(5)).untilTrue(interrupted);
    assertThat(store.pendingNotifications()).as("interrupted, not delivered: tried again at the next start")
        .isEqualTo(1);
    assertThat(store.deadLetters(10)).isEmpty();
  }
}
