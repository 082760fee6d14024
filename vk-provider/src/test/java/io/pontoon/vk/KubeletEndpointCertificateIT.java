package io.pontoon.vk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Node;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;

/**
 * The kubelet endpoint does not hold up the node: the node registers, and the endpoint then
 * serves the certificate the home cluster's CA issued through the CSR API (the one an API server
 * that verifies kubelets accepts), swapped in without a restart, at the port the node names. The
 * CSR is deleted once issued.
 */
class KubeletEndpointCertificateIT {

  @Test
  void servesTheIssuedCertificateAtThePortTheNodeNames() throws Exception {
    try (TwoClusters clusters = new TwoClusters()) {
      VirtualKubelet vk = clusters.startVirtualKubelet();
      X509Certificate ca = clusters.home.apiServer().ca().certificate();
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
        Node node = clusters.home.client().nodes().withName(clusters.nodeName()).get();
        assertThat(node.getStatus().getDaemonEndpoints().getKubeletEndpoint().getPort()).isEqualTo(vk.kubeletPort());
        X509Certificate served = servedCertificate(vk.kubeletPort());
        assertThat(served.getIssuerX500Principal()).isEqualTo(ca.getSubjectX500Principal());
        served.verify(ca.getPublicKey());
        assertThat(served.getSubjectX500Principal().getName()).contains("CN=system:node:" + clusters.nodeName());
      });
      await().atMost(Duration.ofSeconds(30)).until(() -> clusters.home.client().certificates().v1()
          .certificateSigningRequests().list().getItems().stream()
          .noneMatch(c -> c.getMetadata().getName().startsWith("pontoon-" + clusters.nodeName() + "-serving-")));
    }
  }

  /** The certificate the endpoint presents (no trust decision: the test checks it itself). */
  private static X509Certificate servedCertificate(int port) throws Exception {
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, new TrustManager[] {new X509TrustManager() {
      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType) {}

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType) {}

      @Override
      public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
      }
    }}, null);
    try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", port)) {
      s.setSoTimeout(5000);
      s.startHandshake();
      return (X509Certificate) s.getSession().getPeerCertificates()[0];
    }
  }
}
