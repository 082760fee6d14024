package io.pontoon.sandbox.apiserver.auth;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The checks kube-controller-manager's signers apply to a request before signing it for one of the
 * built-in signer names. A request that fails them gets a {@code Failed} condition with reason
 * {@code SignerValidationFailure} and the problem as message.
 */
public final class CsrValidation {
  public static final String KUBE_APISERVER_CLIENT = "kubernetes.io/kube-apiserver-client";
  public static final String KUBE_APISERVER_CLIENT_KUBELET = "kubernetes.io/kube-apiserver-client-kubelet";
  public static final String KUBELET_SERVING = "kubernetes.io/kubelet-serving";
  public static final String LEGACY_UNKNOWN = "kubernetes.io/legacy-unknown";

  private static final Set<String> KUBELET_SERVING_USAGES =
      Set.of(KeyUsages.DIGITAL_SIGNATURE, KeyUsages.KEY_ENCIPHERMENT, KeyUsages.SERVER_AUTH);
  private static final Set<String> KUBELET_SERVING_USAGES_NO_RSA =
      Set.of(KeyUsages.DIGITAL_SIGNATURE, KeyUsages.SERVER_AUTH);
  private static final Set<String> KUBELET_CLIENT_USAGES =
      Set.of(KeyUsages.DIGITAL_SIGNATURE, KeyUsages.KEY_ENCIPHERMENT, KeyUsages.CLIENT_AUTH);
  private static final Set<String> KUBELET_CLIENT_USAGES_NO_RSA =
      Set.of(KeyUsages.DIGITAL_SIGNATURE, KeyUsages.CLIENT_AUTH);

  private CsrValidation() {}

  /** Whether the sandbox signs requests for this signer name (the four built-in ones). */
  public static boolean isBuiltInSigner(String signerName) {
    return Set.of(KUBE_APISERVER_CLIENT, KUBE_APISERVER_CLIENT_KUBELET, KUBELET_SERVING, LEGACY_UNKNOWN)
        .contains(signerName);
  }

  /**
   * Problems that keep the built-in signer from signing, in kube's words; empty when it may sign.
   * Kube stops at the first problem; the first entry here is that one. Other signer names are not
   * the built-in signers' business and yield no problem.
   */
  public static List<String> problems(String signerName, CsrInfo csr, List<String> usages) {
    return switch (signerName) {
      case KUBE_APISERVER_CLIENT -> kubeApiServerClient(usages);
      case KUBE_APISERVER_CLIENT_KUBELET -> kubeletClient(csr, usages);
      case KUBELET_SERVING -> kubeletServing(csr, usages);
      default -> List.of(); // legacy-unknown: no restriction, kept for compatibility
    };
  }

  /** Usages may only be client auth, digital signature and key encipherment, and must include client auth. */
  static List<String> kubeApiServerClient(List<String> usages) {
    List<String> problems = new ArrayList<>();
    boolean clientAuth = false;
    for (String u : usages) {
      switch (u) {
        case KeyUsages.DIGITAL_SIGNATURE, KeyUsages.KEY_ENCIPHERMENT -> { }
        case KeyUsages.CLIENT_AUTH -> clientAuth = true;
        default -> problems.add("invalid usage for client certificate: " + u);
      }
    }
    if (!clientAuth) {
      problems.add("missing required usage for client certificate: " + KeyUsages.CLIENT_AUTH);
    }
    return problems;
  }

  static List<String> kubeletServing(CsrInfo csr, List<String> usages) {
    List<String> problems = new ArrayList<>();
    if (!csr.organizations().equals(List.of("system:nodes"))) {
      problems.add("subject organization is not system:nodes");
    }
    if (csr.dnsNames().isEmpty() && csr.ipAddresses().isEmpty()) {
      problems.add("DNS or IP subjectAltName is required");
    }
    if (!csr.emailAddresses().isEmpty()) {
      problems.add("Email subjectAltNames are not allowed");
    }
    if (!csr.uris().isEmpty()) {
      problems.add("URI subjectAltNames are not allowed");
    }
    Set<String> set = Set.copyOf(usages);
    if (!set.equals(KUBELET_SERVING_USAGES) && !set.equals(KUBELET_SERVING_USAGES_NO_RSA)) {
      problems.add("usages did not match " + GoStrings.list(new TreeSet<>(KUBELET_SERVING_USAGES)));
    }
    if (!csr.commonName().startsWith("system:node:")) {
      problems.add("subject common name does not begin with system:node:");
    }
    return problems;
  }

  static List<String> kubeletClient(CsrInfo csr, List<String> usages) {
    List<String> problems = new ArrayList<>();
    if (!csr.organizations().equals(List.of("system:nodes"))) {
      problems.add("subject organization is not system:nodes");
    }
    if (!csr.dnsNames().isEmpty()) problems.add("DNS subjectAltNames are not allowed");
    if (!csr.emailAddresses().isEmpty()) problems.add("Email subjectAltNames are not allowed");
    if (!csr.ipAddresses().isEmpty()) problems.add("IP subjectAltNames are not allowed");
    if (!csr.uris().isEmpty()) problems.add("URI subjectAltNames are not allowed");
    if (!csr.commonName().startsWith("system:node:")) {
      problems.add("subject common name does not begin with system:node:");
    }
    Set<String> set = Set.copyOf(usages);
    if (!set.equals(KUBELET_CLIENT_USAGES) && !set.equals(KUBELET_CLIENT_USAGES_NO_RSA)) {
      problems.add("usages did not match " + GoStrings.list(new TreeSet<>(KUBELET_CLIENT_USAGES)));
    }
    return problems;
  }
}
