package io.pontoon.peering.token;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.pontoon.api.PontoonNames;
import io.pontoon.peering.identity.IdentityStore;
import io.pontoon.sandbox.apiserver.SandboxApiServer;
import io.pontoon.sandbox.junit.SandboxExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SandboxExtension.class)
class TokenStoreIT {
  @Test
  void storesOnlyAHashListsRevokesAndBindsSingleUseTokens(SandboxApiServer server) {
    try (KubernetesClient client = new KubernetesClientBuilder().withConfig(server.adminConfig()).build()) {
      new IdentityStore(client).ensureSystemNamespace();
      TokenStore store = new TokenStore(client);
      IssuedToken t = store.create(Duration.ofHours(24), true);
      assertThat(t.secret()).matches(TokenStore.TOKEN_PATTERN);
      assertThat(t.toString()).doesNotContain(t.secret().substring(17));
      String secretPart = t.secret().substring(17);
      var stored = client.secrets().inNamespace(PontoonNames.SYSTEM_NAMESPACE).withLabel(PontoonNames.LABEL_TYPE,
          TokenStore.TYPE_TOKEN).list().getItems().stream()
          .filter(x -> x.getMetadata().getName().equals("pontoon-token-" + t.info().id())).toList();
      assertThat(stored).hasSize(1);
      String everything = stored.get(0).toString() + stored.get(0).getData().values().stream()
          .map(v -> new String(Base64.getDecoder().decode(v), StandardCharsets.ISO_8859_1)).toList();
      assertThat(everything).doesNotContain(secretPart);

      assertThat(store.redeem(t.secret(), "a")).isEmpty();
      assertThat(store.redeem(t.secret(), "a")).isEmpty();
      assertThat(store.redeem(t.secret(), "b")).contains(TokenRefusal.ALREADY_USED);
      assertThat(store.list()).filteredOn(i -> i.id().equals(t.info().id())).singleElement().satisfies(i -> {
        assertThat(i.usedBy()).isEqualTo("a");
        assertThat(i.state(Instant.now())).isEqualTo("Used");
        assertThat(i.expiresAt()).isAfter(Instant.now().plus(Duration.ofHours(23)));
      });

      IssuedToken multi = store.create(Duration.ofHours(1), false);
      assertThat(store.redeem(multi.secret(), "a")).isEmpty();
      assertThat(store.redeem(multi.secret(), "b")).isEmpty();
      assertThat(store.revoke(multi.info().id())).isTrue();
      assertThat(store.redeem(multi.secret(), "c")).isEqualTo(Optional.of(TokenRefusal.REVOKED));
      assertThat(store.revoke("ffffffffffffffff")).isFalse();
      assertThat(store.redeem("not a token", "c")).contains(TokenRefusal.INVALID);
    }
  }

  @Test
  void twoClustersRacingForASingleUseTokenCannotBothWin(SandboxApiServer server) throws Exception {
    try (KubernetesClient client = new KubernetesClientBuilder().withConfig(server.adminConfig()).build()) {
      new IdentityStore(client).ensureSystemNamespace();
      TokenStore store = new TokenStore(client);
      var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
      try {
        for (int round = 0; round < 20; round++) {
          String t = store.create(Duration.ofHours(1), true).secret();
          var start = new java.util.concurrent.CountDownLatch(1);
          var a = pool.submit(() -> {
            start.await();
            return store.redeem(t, "a");
          });
          var b = pool.submit(() -> {
            start.await();
            return store.redeem(t, "b");
          });
          start.countDown();
          long winners = java.util.stream.Stream.of(a.get(), b.get()).filter(Optional::isEmpty).count();
          assertThat(winners).as("round " + round).isEqualTo(1);
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }
}
