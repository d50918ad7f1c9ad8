package org.sangfroid.gateway.user;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sangfroid.gateway.Fixtures;
import org.sangfroid.gateway.MutableClock;
import org.sangfroid.gateway.store.AuditRow;
import org.sangfroid.gateway.store.GatewayStore;

class UsersTest {
  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(Fixtures.T0);
  private GatewayStore store;
  private Users users;

  @BeforeEach
  void open() {
    store = GatewayStore.open(dir.resolve("gateway.db"));
    users = new Users(store, clock);
  }

  @AfterEach
  void close() {
    store.close();
  }

  private Users.Added add(String name, String password) {
    return users.add("system", "test", name, Role.QM, Language.FR, password.toCharArray());
  }

  @Test
  void add_storesAHashNotThePassword_andAuditsIt() {
    Users.Added added = add("k.amrani", "correct horse battery");

    assertThat(added).isInstanceOf(Users.Done.class);
    String hash = store.user("k.amrani").orElseThrow().passwordHash();
    assertThat(hash).startsWith("$argon2id$v=19$m=19456,t=2,p=1$").doesNotContain("correct horse");
    List<AuditRow> audit = store.auditEntries(0, 10);
    assertThat(audit).extracting(AuditRow::action).containsExactly("user.added");
    assertThat(audit.get(0).subject()).isEqualTo("user/k.amrani");
    assertThat(audit.get(0).details()).isEqualTo("{\"language\":\"fr\",\"role\":\"qm\",\"via\":\"test\"}");
  }

  @Test
  void add_sameNameTwice_isRefusedAndTheFirstKept() {
    add("ana", "correct horse battery");

    Users.Added again = add("ana", "another long password");

    assertThat(again).isEqualTo(new Users.Refused(List.of("name [ana] must be new, found there is already a user ana.")));
    assertThat(users.login("ana", "correct horse battery")).isPresent();
  }

  @ParameterizedTest(name = "[{0}] [{1}]")
  @CsvSource(delimiter = '|', textBlock = """
      ana      | short pass   | The password must be at least 12 characters long, found 10. A few unrelated words make a long password that is easy to remember.
      ana      | aaaaaaaaaaaa | The password must not repeat a few characters over and over.
      ''       | correct horse battery | name [] must be 1 to 64 letters, digits, '.', '-', '_' or '@', starting with a letter or digit.
      a b      | correct horse battery | name [a b] must be 1 to 64 letters, digits, '.', '-', '_' or '@', starting with a letter or digit.
      system   | correct horse battery | name [system] must be 1 to 64 letters, digits, '.', '-', '_' or '@', starting with a letter or digit, and not be system (the gateway's own name).
      """)
  void add_badNameOrWeakPassword_isRefusedSayingWhy(String name, String password, String problem) {
    assertThat(add(name, password)).isEqualTo(new Users.Refused(List.of(problem)));
    assertThat(store.users()).isEmpty();
  }

  @Test
  void login_rightPassword_givesTheUser_wrongOrUnknown_givesNothing() {
    add("ana", "correct horse battery");

    assertThat(users.login("ana", "correct horse battery")).hasValueSatisfying(u -> {
      assertThat(u.role()).isEqualTo(Role.QM);
      assertThat(u.language()).isEqualTo(Language.FR);
    });
    assertThat(users.login("ana", "correct horse batterz")).isEmpty();
    assertThat(users.login("bob", "correct horse battery")).isEmpty();
    assertThat(users.login("", "")).isEmpty();
  }

  @Test
  void setLanguage_isStoredAndAudited() {
    add("ana", "correct horse battery");

    users.setLanguage("ana", Language.EN);

    assertThat(users.find("ana").orElseThrow().language()).isEqualTo(Language.EN);
    assertThat(store.auditEntries(0, 10)).extracting(AuditRow::action).containsExactly("user.added", "user.language");
  }

  @Test
  void roles_eachCanDoWhatTheOneBeforeCan() {
    assertThat(Role.ADMIN.atLeast(Role.QM)).isTrue();
    assertThat(Role.QM.atLeast(Role.TECHNICIAN)).isTrue();
    assertThat(Role.TECHNICIAN.atLeast(Role.QM)).isFalse();
    assertThat(Role.VIEWER.atLeast(Role.TECHNICIAN)).isFalse();
  }

  // ---- e-mail address (V9): alarm e-mails to it speak the user's language ----

  @Test
  void add_withEmail_storesIt_andTheAddressGivesTheUsersLanguage_whateverItsCase() {
    Users.Added added = users.add("system", "test", "k.amrani", Role.QM, Language.FR,
        java.util.Optional.of(" K.Amrani@Casa.example "), "correct horse battery".toCharArray());

    assertThat(added).isInstanceOf(Users.Done.class);
    assertThat(store.user("k.amrani").orElseThrow().email()).contains("K.Amrani@Casa.example");
    assertThat(users.languageOfEmail("k.amrani@casa.example")).contains(Language.FR);
    assertThat(users.languageOfEmail("nobody@casa.example")).isEmpty();
    assertThat(store.lastAuditEntry("user.added").orElseThrow().details()).contains("\"email\":\"K.Amrani@Casa.example\"");
  }

  @Test
  void add_emailOfAnotherUserOrNotAnAddress_isRefusedSayingWhy() {
    users.add("system", "test", "ana", Role.QM, Language.FR, java.util.Optional.of("qm@casa.example"),
        "correct horse battery".toCharArray());

    Users.Added taken = users.add("system", "test", "bob", Role.QM, Language.EN, java.util.Optional.of("QM@casa.example"),
        "correct horse battery".toCharArray());
    Users.Added bad = users.add("system", "test", "bob", Role.QM, Language.EN, java.util.Optional.of("qm at casa"),
        "correct horse battery".toCharArray());

    assertThat(taken).isEqualTo(new Users.Refused(List.of(
        "email [QM@casa.example] must belong to one user only, found user ana has it.")));
    assertThat(bad).isEqualTo(new Users.Refused(List.of(
        "email [qm at casa] must be an e-mail address such as a.benali@centre.example.")));
    assertThat(store.user("bob")).isEmpty();
  }
}
