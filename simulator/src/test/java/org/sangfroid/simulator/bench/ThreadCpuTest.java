package org.sangfroid.simulator.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Issue 6: the fleet bench says whose CPU time it is, by thread name. */
class ThreadCpuTest {
  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      MQTT Snd: sangfroid-sim-fleet-agent-00001   | SIMULATOR_MQTT
      MQTT Call: sangfroid-sim-fleet-agent-00010  | SIMULATOR_MQTT
      sangfroid-sim-connect                       | SIMULATOR_MQTT
      sangfroid-ingest                            | INGEST
      MQTT Rec: sangfroid-gateway                 | GATEWAY_OTHER
      sangfroid-mqtt-connect                      | GATEWAY_OTHER
      JettyServerThreadPool-40                    | GATEWAY_OTHER
      hivemq-eventloop-child-0                    | BROKER
      single-writer-2                             | BROKER
      Exodus shared background cleaner            | BROKER
      Common-Cleaner                              | OTHER
      """)
  void classify_threadName_givesWhatItWorksFor(String name, ThreadCpu.Part part) {
    assertThat(ThreadCpu.classify(name)).isEqualTo(part);
  }
}
