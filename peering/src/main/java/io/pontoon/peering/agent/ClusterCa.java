package io.pontoon.peering.agent;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pontoon.api.PontoonNames;
import io.pontoon.peering.identity.Pem;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * This cluster's CA, which signs both the API server's serving certificate and (through the
 * CSR API) tenant client certificates: from the client configuration, else from the
 * {@code kube-root-ca.crt} ConfigMap that Kubernetes publishes in every namespace.
 */
final class ClusterCa {
  private ClusterCa() {}

  static String pem(KubernetesClient client) {
    var cfg = client.getConfiguration();
    try {
      if (cfg.getCaCertData() != null && !cfg.getCaCertData().isBlank()) {
        return new String(Base64.getDecoder().decode(cfg.getCaCertData().trim()), StandardCharsets.US_ASCII);
      }
      if (cfg.getCaCertFile() != null && Files.exists(Path.of(cfg.getCaCertFile()))) {
        return Files.readString(Path.of(cfg.getCaCertFile()));
      }
    } catch (Exception e) {
      // fall back to the ConfigMap
    }
    ConfigMap cm = client.configMaps().inNamespace(PontoonNames.SYSTEM_NAMESPACE).withName("kube-root-ca.crt").get();
    if (cm != null && cm.getData() != null && cm.getData().get("ca.crt") != null) return cm.getData().get("ca.crt");
    throw new IllegalStateException("cannot find this cluster's CA: the kubeconfig has none and ConfigMap "
        + PontoonNames.SYSTEM_NAMESPACE + "/kube-root-ca.crt is missing");
  }

  static List<X509Certificate> certificates(KubernetesClient client) {
    List<X509Certificate> out = new ArrayList<>(Pem.certificates(pem(client)));
    ConfigMap cm = client.configMaps().inNamespace(PontoonNames.SYSTEM_NAMESPACE).withName("kube-root-ca.crt").get();
    if (cm != null && cm.getData() != null && cm.getData().get("ca.crt") != null) {
      out.addAll(Pem.certificates(cm.getData().get("ca.crt")));
    }
    return out;
  }
}
