package org.sangfroid.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sangfroid.core.config.ConfigException;

/** The {@code clock} section: how the agent learns that the system clock is synchronised. */
class AgentConfigClockTest {
  private static String config(String clock) {
    return """
        site: casa-01
        agent: agent-01
        dataDir: /var/lib/sangfroid/agent
        broker:
          url: tcp://127.0.0.1:1883
        units:
          - id: rbc-fridge-1
            profile: RBC_STORE_EU
            sensors:
              - id: 28-0316a2794aff
                type: ds18b20
        """ + clock;
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      ''                           | AUTO
      'clock: {}'                  | AUTO
      'clock:\\n  sync: auto'        | AUTO
      'clock:\\n  sync: timesyncd'   | TIMESYNCD
      'clock:\\n  sync: timedatectl' | TIMEDATECTL
      'clock:\\n  sync: always'      | ALWAYS
      """)
  void clockSync_isRead(String section, AgentConfig.ClockSync sync) {
    assertThat(AgentConfig.parse("agent.yaml", config(section.replace("\\n", "\n"))).clock().sync()).isEqualTo(sync);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      'clock:\\n  sync: ntp'        | agent.yaml:13: clock.sync [ntp] must be one of always, auto, timedatectl, timesyncd.
      'clock:\\n  rtc: true'        | agent.yaml:13: clock.rtc is not a known setting (known here: sync)
      'clock: yes'                 | agent.yaml:12: clock must be a section of 'key: value' lines
      """)
  void badClockSection_isReportedWithItsLine(String section, String problem) {
    assertThatThrownBy(() -> AgentConfig.parse("agent.yaml", config(section.replace("\\n", "\n"))))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactly(problem));
  }
}
