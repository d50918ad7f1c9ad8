package org.sangfroid.gateway.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.sangfroid.gateway.MutableClock;
import org.sangfroid.gateway.alarm.TickLoop;

/** The dispatcher's loop safeguards, with fake notifiers. */
class DispatcherTest {
  private final MutableClock clock = new MutableClock(NotifyFixtures.RAISED);
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

  private Dispatcher dispatcher(Notifier notifier, Duration giveUpAfter, Duration stopWait) {
    return new Dispatcher(List.of(new Channel(Channel.WEBHOOK, "fake", notifier)), () -> NotifyFixtures.API,
        new Backoff(Duration.ofMillis(10), Duration.ofMillis(20), giveUpAfter, 0), clock,
        TickLoop.namedThreads("test-notify"), meters, stopWait);
  }

  @Test
  void accept_oneMessageThrowsAnError_othersAreStillDeliveredAndItBecomesADeadLetter() {
    Set<Long> delivered = ConcurrentHashMap.newKeySet();
    Notifier notifier = n -> {
      if (n.alarm().id() == 1) {
        throw new StackOverflowError("bad message");
      }
      delivered.add(n.alarm().id());
    };
    try (Dispatcher d = dispatcher(notifier, Duration.ZERO, Duration.ofSeconds(5))) {
      d.accept(List.of(NotifyFixtures.raised(1), NotifyFixtures.raised(2), NotifyFixtures.raised(3)));

      await().atMost(Duration.ofSeconds(5)).until(() -> d.pending() == 0);
      assertThat(delivered).containsExactlyInAnyOrder(2L, 3L);
      assertThat(d.deadLetters()).singleElement().satisfies(l -> {
        assertThat(l.alarmId()).isEqualTo(1);
        assertThat(l.lastError()).isEqualTo("bad message");
        assertThat(l.attempts()).isEqualTo(1);
      });
      assertThat(meters.get("sangfroid.notify.delivered").tag("channel", "webhook").counter().count()).isEqualTo(2);
      assertThat(meters.get("sangfroid.notify.failed").tag("channel", "webhook").counter().count()).isEqualTo(1);
    }
  }

  @Test
  void close_whileADeliveryHangs_returnsAfterTheBoundedWaitAndInterruptsIt() {
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
    Dispatcher d = dispatcher(hanging, Duration.ofHours(1), Duration.ofMillis(200));
    d.accept(List.of(NotifyFixtures.raised()));
    await().atMost(Duration.ofSeconds(5)).until(() -> started.getCount() == 0);

    long t0 = System.nanoTime();
    d.close();

    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
    await().atMost(Duration.ofSeconds(5)).untilTrue(interrupted);
  }

  @Test
  void accept_afterClose_becomesADeadLetterInsteadOfThrowing() {
    Dispatcher d = dispatcher(n -> { }, Duration.ofHours(1), Duration.ofSeconds(1));
    d.close();

    assertThatCode(() -> d.accept(List.of(NotifyFixtures.raised()))).doesNotThrowAnyException();
    assertThat(d.deadLetters()).singleElement()
        .satisfies(l -> assertThat(l.lastError()).isEqualTo("not tried: the gateway is stopping"));
  }
}
