package org.sangfroid.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sangfroid.gateway.GatewayApp;
import org.sangfroid.gateway.config.GatewayConfig;
import org.sangfroid.gateway.store.GatewayStore;
import org.sangfroid.gateway.user.Role;
import org.sangfroid.gateway.user.Users;

class WebLoginTest {
  @TempDir Path dir;

  private GatewayConfig config() throws Exception {
    return GatewayConfig.load(Demo.write(dir.resolve("gateway.yaml"),
        SiteConfigs.gateway(dir.resolve("gateway-data"), 0, SiteConfigs.EMBEDDED_BROKER, Duration.ofSeconds(30))));
  }

  private boolean canLogIn(GatewayConfig config, WebLogin login) {
    try (GatewayStore store = GatewayStore.open(GatewayApp.database(config))) {
      return new Users(store, Clock.systemUTC()).login(login.name(), login.password()).isPresent();
    }
  }

  @Test
  void kept_madeOnceForAFolder_readableByItsOwnerOnly_andTheSameAtTheNextStart() throws Exception {
    GatewayConfig config = config();
    Path file = dir.resolve("web-login.txt");

    WebLogin first = WebLogin.kept(config, file, "demo", Role.ADMIN);
    WebLogin again = WebLogin.kept(config, file, "demo", Role.ADMIN);

    assertThat(first.password()).hasSizeGreaterThanOrEqualTo(12);
    assertThat(again).isEqualTo(first);
    assertThat(canLogIn(config, first)).isTrue();
    assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(Files.readString(file)).contains("name: demo", "password: " + first.password());
  }

  @Test
  void kept_userWithoutItsFile_isAClearError() throws Exception {
    GatewayConfig config = config();
    Path file = dir.resolve("web-login.txt");
    WebLogin.kept(config, file, "demo", Role.ADMIN);
    Files.delete(file);

    assertThatThrownBy(() -> WebLogin.kept(config, file, "demo", Role.ADMIN))
        .hasMessageContaining("password file " + file + " is gone");
  }

  @Test
  void create_eachLoginItsOwnPassword() throws Exception {
    GatewayConfig config = config();
    WebLogin a = WebLogin.create(config, "a-tester", Role.VIEWER, "test");
    WebLogin b = WebLogin.create(config, "b-tester", Role.VIEWER, "test");
    assertThat(a.password()).isNotEqualTo(b.password());
    assertThat(canLogIn(config, a)).isTrue();
    assertThat(canLogIn(config, new WebLogin("a-tester", b.password()))).isFalse();
  }
}
