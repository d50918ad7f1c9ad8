package org.sangfroid.core.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.Test;

class NoDelaySocketFactoryTest {
  @Test
  void plain_unconnectedSocketAsPahoMakesIt_hasTcpNoDelay() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Socket s = NoDelaySocketFactory.plain().createSocket()) {
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()), 2000);

      assertThat(s.getTcpNoDelay()).isTrue();
    }
  }

  @Test
  void plain_connectedSocket_hasTcpNoDelay() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Socket s = NoDelaySocketFactory.plain().createSocket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
      assertThat(s.getTcpNoDelay()).isTrue();
    }
  }

  @Test
  void tls_unconnectedSocket_isTlsWithTcpNoDelay() throws Exception {
    SSLSocketFactory f = NoDelaySocketFactory.tls((SSLSocketFactory) SSLSocketFactory.getDefault());

    try (Socket s = f.createSocket()) {
      assertThat(s).isInstanceOf(SSLSocket.class);
      assertThat(s.getTcpNoDelay()).isTrue();
    }
  }
}
