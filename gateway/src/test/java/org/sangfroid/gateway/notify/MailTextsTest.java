package org.sangfroid.gateway.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.ZoneOffset;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.sangfroid.gateway.user.Language;

/** The alarm e-mails say the same things in both languages, with nothing left unformatted. */
class MailTextsTest {
  private static Set<String> keys(Language l) {
    return new TreeSet<>(MailTexts.bundle(MailTexts.BUNDLE, l).keySet());
  }

  @Test
  void englishAndFrench_haveTheSameKeys() {
    assertThat(keys(Language.FR)).isEqualTo(keys(Language.EN)).isNotEmpty();
  }

  @Test
  void everyText_formatsWithoutLeftoverPlaceholdersOrDoubledApostrophes() {
    for (Language l : Language.values()) {
      MailTexts t = new MailTexts(l, ZoneOffset.UTC);
      for (String key : keys(l)) {
        assertThat(t.t(key, "A", "B", "C", "D", 1)).as(l + " " + key).doesNotContain("{").doesNotContain("''");
      }
    }
  }

  @Test
  void everyEventOfAnAlarm_hasItsSubjectAndBody_inBothLanguages() {
    for (Language l : Language.values()) {
      MailTexts t = new MailTexts(l, ZoneOffset.UTC);
      for (Notification.Event e : Notification.Event.values()) {
        Notification n = e == Notification.Event.TEST ? Notification.test(NotifyFixtures.API, "drill")
            : Notification.of(e, NotifyFixtures.raised().alarm(), NotifyFixtures.API,
                e == Notification.Event.ESCALATED ? 1 : 0, java.util.List.of());
        assertThat(t.subject(n)).as(l + " " + e).startsWith("[Sangfroid] ");
        assertThat(t.body(n)).as(l + " " + e).isNotBlank().doesNotContain("{");
      }
    }
  }
}
