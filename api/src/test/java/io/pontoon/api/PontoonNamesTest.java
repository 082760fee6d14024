package io.pontoon.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.UUID;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.pontoon.api.v1alpha1.NamespaceMappingStrategy;

class PontoonNamesTest {

  private static final String A63 = "a".repeat(63);

  @Test
  void defaultTwinNamespaceJoinsNamespaceAndHomeCluster() {
    assertThat(PontoonNames.defaultTwinNamespace("shop", "cluster-1")).isEqualTo("shop-cluster-1");
  }

  @Test
  void defaultTwinNamespaceOfExactly63CharactersIsKept() {
    String ns = "n".repeat(53);
    String name = PontoonNames.defaultTwinNamespace(ns, "cluster-1");
    assertThat(name).hasSize(63).isEqualTo(ns + "-cluster-1");
  }

  @Test
  void defaultTwinNamespacePast63IsShortenedWithAHash() {
    String ns = "n".repeat(54);
    String name = PontoonNames.defaultTwinNamespace(ns, "cluster-1");
    assertThat(name).hasSize(63).startsWith("n".repeat(52) + "-");
    assertThat(name.substring(53)).matches("[0-9a-f]{10}");
    assertThat(PontoonNames.isDns1123Label(name)).isTrue();
    // Stable: the same input always gives the same name.
    assertThat(PontoonNames.defaultTwinNamespace(ns, "cluster-1")).isEqualTo(name);
  }

  @Test
  void shortenedNamesOfDifferentInputsDiffer() {
    String a = PontoonNames.defaultTwinNamespace(A63, "cluster-1");
    String b = PontoonNames.defaultTwinNamespace(A63, "cluster-2");
    String c = PontoonNames.defaultTwinNamespace(A63.substring(1) + "b", "cluster-1");
    assertThat(a).isNotEqualTo(b).isNotEqualTo(c);
    assertThat(a).hasSize(63);
    assertThat(b).hasSize(63);
    assertThat(c).hasSize(63);
  }

  @Test
  void shortenedNamesSeparateNamespaceAndClusterInTheHash() {
    // Same joined text, different split: the hash covers the pair, not the text.
    String ns = "x".repeat(40);
    String a = PontoonNames.defaultTwinNamespace(ns + "-team", "cluster-" + "c".repeat(20));
    String b = PontoonNames.defaultTwinNamespace(ns, "team-cluster-" + "c".repeat(20));
    assertThat(a).isNotEqualTo(b);
  }

  @Test
  void shortenedNamesNeverHaveADoubleDashBeforeTheHash() {
    // Cut point falls right after a dash in the joined name.
    String ns = "a".repeat(51) + "-b";
    String name = PontoonNames.defaultTwinNamespace(ns, "cluster-1");
    assertThat(name).doesNotContain("--").hasSizeLessThanOrEqualTo(63);
    assertThat(PontoonNames.isDns1123Label(name)).isTrue();
  }

  @Test
  void twinNamespaceFollowsTheStrategy() {
    assertThat(
            PontoonNames.twinNamespace(NamespaceMappingStrategy.DefaultName, "shop", "home", null))
        .isEqualTo("shop-home");
    assertThat(
            PontoonNames.twinNamespace(
                NamespaceMappingStrategy.EnforceSameName, "shop", "home", "ignored"))
        .isEqualTo("shop");
    assertThat(
            PontoonNames.twinNamespace(
                NamespaceMappingStrategy.SelectedName, "shop", "home", "chosen"))
        .isEqualTo("chosen");
  }

  @Test
  void selectedNameStrategyNeedsAValidName() {
    assertThatThrownBy(
            () ->
                PontoonNames.twinNamespace(
                    NamespaceMappingStrategy.SelectedName, "shop", "h", null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("selected namespace name");
    assertThatThrownBy(
            () ->
                PontoonNames.twinNamespace(
                    NamespaceMappingStrategy.SelectedName, "shop", "h", "Bad_Name"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "Shop", "-shop", "shop-", "sh_op", "shop.prod"})
  void twinNamespaceRejectsInvalidNamespaces(String namespace) {
    assertThatThrownBy(() -> PontoonNames.defaultTwinNamespace(namespace, "home"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("DNS-1123");
  }

  @Test
  void twinNamespaceRejectsNull() {
    assertThatThrownBy(() -> PontoonNames.defaultTwinNamespace(null, "home"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PontoonNames.defaultTwinNamespace("shop", null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void tenantNamespaceHasThePrefixAndIsShortenedPast63() {
    assertThat(PontoonNames.tenantNamespace("cluster-2")).isEqualTo("pontoon-tenant-cluster-2");
    String longName = PontoonNames.tenantNamespace(A63);
    assertThat(longName).hasSize(63).startsWith("pontoon-tenant-");
    assertThat(PontoonNames.isDns1123Label(longName)).isTrue();
    assertThat(PontoonNames.tenantNamespace("b".repeat(63))).isNotEqualTo(longName);
  }

  @Test
  void virtualNodeNameHasThePrefix() {
    assertThat(PontoonNames.virtualNodeName("cluster-2")).isEqualTo("pontoon-cluster-2");
    assertThatThrownBy(() -> PontoonNames.virtualNodeName("Cluster 2"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void tenantUserNamesTheConsumerId() {
    assertThat(PontoonNames.tenantUser("0d5e3c1a-0000-4000-8000-000000000001"))
        .isEqualTo("pontoon:tenant:0d5e3c1a-0000-4000-8000-000000000001");
  }

  @Test
  void wireGuardInterfaceTakesTheFirst8HexDigits() {
    assertThat(PontoonNames.wireGuardInterface("0D5E3C1A-9b2f-4c4e-8a1d-3f6b7c8d9e0f"))
        .isEqualTo("pt-0d5e3c1a");
    // Dashes are skipped, whatever the ID's layout.
    assertThat(PontoonNames.wireGuardInterface("0d5e-3c1a9b2f")).isEqualTo("pt-0d5e3c1a");
  }

  @Test
  void wireGuardInterfaceFitsTheKernelLimitForAnyUuid() {
    for (int i = 0; i < 100; i++) {
      String name = PontoonNames.wireGuardInterface(UUID.randomUUID().toString());
      assertThat(name).hasSizeLessThanOrEqualTo(PontoonNames.MAX_INTERFACE_NAME_LENGTH);
      assertThat(name).matches("pt-[0-9a-f]{8}");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "0d5e3c1", "0d5e3c1g-0000", "cluster-2"})
  void wireGuardInterfaceRejectsIdsWithoutEightLeadingHexDigits(String id) {
    assertThatThrownBy(() -> PontoonNames.wireGuardInterface(id))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("8 hex digits");
  }

  @Test
  void clusterIdPatternAcceptsGeneratedUuids() {
    Pattern p = Pattern.compile(PontoonNames.CLUSTER_ID_PATTERN);
    assertThat(p.matcher(UUID.randomUUID().toString()).matches()).isTrue();
    assertThat(p.matcher("cluster-1").matches()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"10.244.0.0/16", "0.0.0.0/0", "192.168.1.0/24", "255.255.255.255/32"})
  void cidrPatternAcceptsIpv4Cidrs(String cidr) {
    assertThat(Pattern.matches(PontoonNames.IPV4_CIDR_PATTERN, cidr)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "10.244.0.0", "10.244.0.0/33", "256.0.0.0/8", "10.0.0/8", "01.0.0.0/8", "fd00::/8"
      })
  void cidrPatternRejectsOtherText(String cidr) {
    assertThat(Pattern.matches(PontoonNames.IPV4_CIDR_PATTERN, cidr)).isFalse();
  }

  @Test
  void fingerprintPatternNeeds64LowercaseHexDigits() {
    assertThat(Pattern.matches(PontoonNames.FINGERPRINT_PATTERN, "sha256:" + "ab".repeat(32)))
        .isTrue();
    assertThat(Pattern.matches(PontoonNames.FINGERPRINT_PATTERN, "sha256:" + "AB".repeat(32)))
        .isFalse();
    assertThat(Pattern.matches(PontoonNames.FINGERPRINT_PATTERN, "sha256:" + "ab".repeat(31)))
        .isFalse();
  }

  @Test
  void wireGuardKeyPatternAcceptsX25519PublicKeys() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("X25519");
    for (int i = 0; i < 50; i++) {
      byte[] encoded = generator.generateKeyPair().getPublic().getEncoded();
      // The raw key is the last 32 bytes of the X.509 encoding.
      byte[] raw = java.util.Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length);
      String key = Base64.getEncoder().encodeToString(raw);
      assertThat(Pattern.matches(PontoonNames.WIREGUARD_KEY_PATTERN, key)).as(key).isTrue();
    }
    assertThat(Pattern.matches(PontoonNames.WIREGUARD_KEY_PATTERN, "not-a-key")).isFalse();
  }

  @Test
  void dns1123Label() {
    assertThat(PontoonNames.isDns1123Label("a")).isTrue();
    assertThat(PontoonNames.isDns1123Label(A63)).isTrue();
    assertThat(PontoonNames.isDns1123Label(A63 + "a")).isFalse();
    assertThat(PontoonNames.isDns1123Label("a.b")).isFalse();
    assertThat(PontoonNames.isDns1123Label(null)).isFalse();
  }

  @Test
  void subdomainAndUrlPatterns() {
    assertThat(Pattern.matches(PontoonNames.DNS1123_SUBDOMAIN_PATTERN, "pontoon-wireguard-key"))
        .isTrue();
    assertThat(Pattern.matches(PontoonNames.DNS1123_SUBDOMAIN_PATTERN, "a.b-c.d")).isTrue();
    assertThat(Pattern.matches(PontoonNames.DNS1123_SUBDOMAIN_PATTERN, "A.b")).isFalse();
    assertThat(Pattern.matches(PontoonNames.HTTPS_URL_PATTERN, "https://10.0.0.1:8443")).isTrue();
    assertThat(Pattern.matches(PontoonNames.HTTPS_URL_PATTERN, "https://peer.example")).isTrue();
    assertThat(Pattern.matches(PontoonNames.HTTPS_URL_PATTERN, "http://peer.example")).isFalse();
  }

  @Test
  void apiVersionIsGroupSlashVersion() {
    assertThat(PontoonNames.API_VERSION).isEqualTo("pontoon.io/v1alpha1");
  }
}
