package org.sangfroid.gateway.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ResourceBundle;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.sangfroid.core.excursion.AlarmKind;
import org.sangfroid.gateway.store.AlarmState;
import org.sangfroid.gateway.store.Disposition;
import org.sangfroid.gateway.user.Language;
import org.sangfroid.gateway.user.Role;

/** The two languages say the same things, and every value the pages show has its words. */
class MessagesTest {
  private static Set<String> keys(Language l) {
    return new TreeSet<>(Texts.bundle(l).keySet());
  }

  @Test
  void englishAndFrench_haveTheSameKeys() {
    assertThat(keys(Language.FR)).isEqualTo(keys(Language.EN));
  }

  @Test
  void everyAlarmKindStateDispositionAndRole_hasItsWords_inBothLanguages() {
    for (Language l : Language.values()) {
      ResourceBundle b = Texts.bundle(l);
      for (AlarmKind k : AlarmKind.values()) {
        assertThat(b.containsKey("kind." + k.name())).as(l + " kind." + k).isTrue();
      }
      for (AlarmState s : AlarmState.values()) {
        assertThat(b.containsKey("alarmState." + s.name())).as(l + " " + s).isTrue();
      }
      for (Disposition d : Disposition.values()) {
        assertThat(b.containsKey("disposition." + d.wire())).as(l + " " + d).isTrue();
      }
      for (Role r : Role.values()) {
        assertThat(b.containsKey("role." + r.wire())).as(l + " " + r).isTrue();
      }
      for (String s : new String[] {"ok", "warning", "out_of_range", "alarm", "no_data"}) {
        assertThat(b.containsKey("state." + s)).as(l + " state." + s).isTrue();
      }
    }
  }

  @Test
  void everyText_formatsWithoutLeftoverPlaceholdersOrDoubledApostrophes() {
    for (Language l : Language.values()) {
      Texts t = new Texts(l, ZoneOffset.UTC);
      for (String key : keys(l)) {
        String text = t.t(key, "A", "B");
        assertThat(text).as(l + " " + key).doesNotContain("{").doesNotContain("''");
      }
    }
  }

  @Test
  void numbersAndTimes_followTheLanguage() {
    Texts en = new Texts(Language.EN, ZoneOffset.UTC);
    Texts fr = new Texts(Language.FR, ZoneOffset.UTC);

    assertThat(en.celsius(-25.25)).isEqualTo("-25.2\u00a0°C");
    assertThat(fr.celsius(4.5)).isEqualTo("4,5\u00a0°C");
    assertThat(fr.t("close.submit")).isEqualTo("Clôturer l'alarme");
    assertThat(en.time(1_795_428_000_000L)).isEqualTo("Nov 23, 2026, 10:00:00 AM");
    assertThat(fr.time(1_795_428_000_000L)).isEqualTo("23 nov. 2026, 10:00:00");
    assertThat(fr.ago(Duration.ofMinutes(75))).isEqualTo("1 h 15 min");
  }
}
