package io.pontoon.peering.foreigncluster;

import io.fabric8.kubernetes.api.model.Config;
import io.fabric8.kubernetes.api.model.ConfigBuilder;
import io.fabric8.kubernetes.api.model.NamedAuthInfo;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.pontoon.peering.identity.Pem;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Base64;

/** The kubeconfig a consumer keeps for its provider: server, CA, client certificate and key. */
public final class PeerCredentials {
  private PeerCredentials() {}

  public static String kubeconfig(String providerName, String server, String caPem, String certPem, String keyPem,
      String user) {
    Config c = new ConfigBuilder().withApiVersion("v1").withKind("Config")
        .addNewCluster().withName(providerName).withNewCluster().withServer(server)
        .withCertificateAuthorityData(b64(caPem)).endCluster().endCluster()
        .addNewUser().withName(user).withNewUser().withClientCertificateData(b64(certPem))
        .withClientKeyData(b64(keyPem)).endUser().endUser()
        .addNewContext().withName(providerName).withNewContext().withCluster(providerName).withUser(user)
        .endContext().endContext()
        .withCurrentContext(providerName).build();
    return Serialization.asYaml(c);
  }

  public static KubernetesClient client(String kubeconfig) {
    return new KubernetesClientBuilder()
        .withConfig(io.fabric8.kubernetes.client.Config.fromKubeconfig(null, kubeconfig, null)).build();
  }

  private static NamedAuthInfo user(String kubeconfig) {
    Config c = Serialization.unmarshal(kubeconfig, Config.class);
    return c.getUsers().get(0);
  }

  public static X509Certificate certificate(String kubeconfig) {
    return Pem.certificate(unb64(user(kubeconfig).getUser().getClientCertificateData()));
  }

  public static PrivateKey key(String kubeconfig) {
    return Pem.privateKey(unb64(user(kubeconfig).getUser().getClientKeyData()));
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  private static String unb64(String s) {
    return new String(Base64.getDecoder().decode(s), StandardCharsets.UTF_8);
  }
}
