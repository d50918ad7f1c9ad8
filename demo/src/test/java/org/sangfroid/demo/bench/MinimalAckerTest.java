package org.sangfroid.demo.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.sangfroid.core.wire.WireCodec;

class MinimalAckerTest {

  @Test
  void lastSeq_ofAnEncodedBatch_isItsLastReadingsSeq() {
    Workload w = new Workload("site-1", 1, 2, 2);
    byte[] payload = WireCodec.encode(w.batch(0, 1_000_001, 500, 0));

    assertThat(MinimalAcker.lastSeq(payload)).contains(1_000_500L);
  }

  @Test
  void lastSeq_withoutSeq_isEmpty() {
    assertThat(MinimalAcker.lastSeq("{\"v\":1}".getBytes(StandardCharsets.UTF_8))).isEmpty();
    assertThat(MinimalAcker.lastSeq("{\"seq\":}".getBytes(StandardCharsets.UTF_8))).isEmpty();
  }
}
