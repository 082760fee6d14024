package io.pontoon.sandbox.apiserver.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IdentityTest {
  @Test
  void authenticatedUsersGetTheGroupOnce() {
    assertThat(UserInfo.authenticated("a", "u1", List.of("devs")).groups()).containsExactly("devs", "system:authenticated");
    assertThat(UserInfo.authenticated("a", "", List.of("system:authenticated", "devs")).groups())
        .containsExactly("system:authenticated", "devs");
    assertThat(UserInfo.anonymous().groups()).containsExactly("system:unauthenticated");
    assertThat(UserInfo.anonymous().name()).isEqualTo("system:anonymous");
  }

  @Test
  void groupsAreImmutable() {
    UserInfo u = new UserInfo("a", Set.of("x"));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> u.groups().add("y"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void serviceAccountNames() {
    assertThat(ServiceAccounts.username("ns", "sa")).isEqualTo("system:serviceaccount:ns:sa");
    UserInfo sa = ServiceAccounts.user("ns", "sa", "uid-1");
    assertThat(sa.groups()).containsExactly("system:serviceaccounts", "system:serviceaccounts:ns", "system:authenticated");
    assertThat(sa.uid()).isEqualTo("uid-1");
    assertThat(ServiceAccounts.parse("system:serviceaccount:ns:sa")).contains(new ServiceAccounts.Ref("ns", "sa"));
    assertThat(ServiceAccounts.parse("system:serviceaccount:ns")).isEmpty();
    assertThat(ServiceAccounts.parse("system:serviceaccount:a:b:c")).isEmpty();
    assertThat(ServiceAccounts.parse("alice")).isEmpty();
    assertThat(ServiceAccounts.matches("ns", "sa", "system:serviceaccount:ns:sa")).isTrue();
    assertThat(ServiceAccounts.matches("ns", "sa", "system:serviceaccount:ns:sab")).isFalse();
    assertThat(ServiceAccounts.matches("n", "s:sa", "system:serviceaccount:ns:sa")).isFalse();
  }
}
