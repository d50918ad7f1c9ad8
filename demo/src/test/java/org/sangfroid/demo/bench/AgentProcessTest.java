package org.sangfroid.demo.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AgentProcessTest {

  @Test
  void memory_parse_readsPeakAndCurrentResidentSizeInKb() {
    AgentProcess.Memory m = AgentProcess.Memory.parse("""
        Name:\tjava
        VmPeak:\t 9000000 kB
        VmHWM:\t   75000 kB
        VmRSS:\t   71680 kB
        Threads:\t17
        """);

    assertThat(m.peakKb()).isEqualTo(75_000);
    assertThat(m.nowMb()).isEqualTo(70.0);
  }

  @Test
  void memory_parse_withoutTheLines_throws() {
    assertThatThrownBy(() -> AgentProcess.Memory.parse("Name:\tjava\n")).isInstanceOf(BenchException.class);
  }
}
