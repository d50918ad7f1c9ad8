package org.sangfroid.core.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sangfroid.core.check.InvalidValueException;
import org.sangfroid.core.wire.Topics.AgentTopic;
import org.sangfroid.core.wire.Topics.Kind;

class TopicsTest {
  @Test
  void agentTopic_roundTrips() {
    String topic = Topics.agent("casa-01", "agent-01", Kind.READINGS);
    assertThat(topic).isEqualTo("sangfroid/v1/casa-01/agent-01/readings");
    assertThat(Topics.parse(topic)).contains(new AgentTopic("casa-01", "agent-01", Kind.READINGS));
    assertThat(Topics.allAgents(Kind.STATUS)).isEqualTo("sangfroid/v1/+/+/status");
  }

  @ParameterizedTest
  @ValueSource(strings = {"sangfroid/v2/s/a/readings", "sangfroid/v1/s/a", "sangfroid/v1/s/a/readings/x",
      "sangfroid/v1/gateway/a/readings", "sangfroid/v1/s/a/other", "sangfroid/v1/s/ /readings", "other"})
  void parse_rejectsOtherTopics(String topic) {
    assertThat(Topics.parse(topic)).isEqualTo(Optional.empty());
  }

  @Test
  void agent_badId_throwsWithFieldAndValue() {
    assertThatThrownBy(() -> Topics.agent("casa 01", "a", Kind.ACK))
        .isInstanceOf(InvalidValueException.class)
        .hasMessageStartingWith("site [casa 01] must be 1 to 64 letters");
  }
}
