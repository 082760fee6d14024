package io.pontoon.api.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessDefaultsTest {
  private String saved;

  @BeforeEach
  void save() {
    saved = System.getProperty(ProcessDefaults.COMMON_POOL_PARALLELISM);
    System.clearProperty(ProcessDefaults.COMMON_POOL_PARALLELISM);
  }

  @AfterEach
  void restore() {
    if (saved == null) System.clearProperty(ProcessDefaults.COMMON_POOL_PARALLELISM);
    else System.setProperty(ProcessDefaults.COMMON_POOL_PARALLELISM, saved);
  }

  @Test
  void aSmallMachineGetsACommonPoolOfTwoUnlessTheCommandLineSaysOtherwise() {
    ProcessDefaults.useCommonPoolOnSmallMachines(8);
    assertThat(System.getProperty(ProcessDefaults.COMMON_POOL_PARALLELISM)).isNull();
    ProcessDefaults.useCommonPoolOnSmallMachines(2);
    assertThat(System.getProperty(ProcessDefaults.COMMON_POOL_PARALLELISM)).isEqualTo("2");
    System.setProperty(ProcessDefaults.COMMON_POOL_PARALLELISM, "7");
    ProcessDefaults.useCommonPoolOnSmallMachines(1);
    assertThat(System.getProperty(ProcessDefaults.COMMON_POOL_PARALLELISM)).isEqualTo("7");
  }

  @Test
  void onTwoCpusAsyncStagesRunInThePoolInsteadOfAThreadEach() throws Exception {
    assertThat(threadOfAnAsyncStage(false)).as("the JDK's behaviour this works around").startsWith("Thread-");
    assertThat(threadOfAnAsyncStage(true)).startsWith("ForkJoinPool.commonPool-worker");
  }

  /** A JVM that sees two CPUs, as the build machines and small nodes do. */
  private static String threadOfAnAsyncStage(boolean defaults) throws IOException, InterruptedException {
    return run(List.of("-XX:ActiveProcessorCount=2"), Probe.class, Boolean.toString(defaults));
  }

  @Test
  void withoutC2TheClientListsChaCha20FirstWithC2TheJdkOrderStays(@TempDir Path dir) throws Exception {
    Path keys = dir.resolve("keys.p12");
    Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
        "-validity", "1", "-storetype", "PKCS12", "-keystore", keys.toString(), "-storepass", "changeit")
        .redirectErrorStream(true).start();
    assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(keytool.exitValue()).isZero();
    assertThat(run(List.of("-XX:TieredStopAtLevel=1"), Handshake.class, keys.toString()))
        .isEqualTo("c2=false client=TLS_CHACHA20_POLY1305_SHA256 negotiated=TLS_CHACHA20_POLY1305_SHA256");
    assertThat(run(List.of(), Handshake.class, keys.toString())).startsWith("c2=true client=TLS_AES_")
        .contains("negotiated=TLS_AES_");
    assertThat(run(List.of("-XX:TieredStopAtLevel=1", "-Djdk.tls.client.cipherSuites=TLS_AES_128_GCM_SHA256"),
        Handshake.class, keys.toString())).endsWith("negotiated=TLS_AES_128_GCM_SHA256");
  }

  private static String run(List<String> jvmOptions, Class<?> main, String arg) throws IOException, InterruptedException {
    List<String> cmd = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
        .toString()));
    cmd.addAll(jvmOptions);
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName(), arg));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }

  /**
   * A TLS handshake of this JVM with itself, after {@link ProcessDefaults#apply}; the server
   * honours the client's order, as Go's and BoringSSL's do for a client that lists ChaCha20 first.
   */
  static final class Handshake {
    public static void main(String[] args) throws Exception {
      ProcessDefaults.apply();
      char[] pass = "changeit".toCharArray();
      java.security.KeyStore keys = java.security.KeyStore.getInstance("PKCS12");
      try (var in = java.nio.file.Files.newInputStream(Path.of(args[0]))) {
        keys.load(in, pass);
      }
      var kmf = javax.net.ssl.KeyManagerFactory.getInstance("SunX509");
      kmf.init(keys, pass);
      var tmf = javax.net.ssl.TrustManagerFactory.getInstance("PKIX");
      tmf.init(keys);
      var tls = javax.net.ssl.SSLContext.getInstance("TLS");
      tls.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
      try (var server = (javax.net.ssl.SSLServerSocket) tls.getServerSocketFactory().createServerSocket(0)) {
        var params = server.getSSLParameters();
        params.setUseCipherSuitesOrder(false);
        server.setSSLParameters(params);
        Thread accept = new Thread(() -> {
          try (var s = (javax.net.ssl.SSLSocket) server.accept()) {
            s.startHandshake();
            s.getInputStream().read();
          } catch (IOException ignored) {
            // the client closed
          }
        });
        accept.start();
        try (var client = (javax.net.ssl.SSLSocket) tls.getSocketFactory().createSocket("localhost",
            server.getLocalPort())) {
          client.startHandshake();
          System.out.println("c2=" + ProcessDefaults.hasC2() + " client=" + client.getEnabledCipherSuites()[0]
              + " negotiated=" + client.getSession().getCipherSuite());
        }
        accept.join(10_000);
      }
    }
  }

  static final class Probe {
    public static void main(String[] args) throws Exception {
      if (Boolean.parseBoolean(args[0])) ProcessDefaults.apply();
      System.out.println(CompletableFuture.supplyAsync(() -> Thread.currentThread().getName()).get());
    }
  }
}
