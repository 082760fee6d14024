package io.pontoon.cli.vk;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.pontoon.api.ClusterIdentity;
import io.pontoon.api.PontoonNames;
import io.pontoon.api.v1alpha1.NamespaceMappingStrategy;
import io.pontoon.cli.KubeOptions;
import io.pontoon.cli.PontoonCommand;
import io.pontoon.cli.UserError;
import io.pontoon.vk.VirtualKubelet;
import io.pontoon.vk.VirtualKubeletConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pontoon virtual-kubelet}: the virtual node of one provider, run by the agent. */
@Command(
    name = "virtual-kubelet",
    mixinStandardHelpOptions = true,
    description = {
        "Run the virtual node of one peered provider: pods bound to it run on the provider as ShadowPods.",
        "Normally started by the agent once a peering is Authenticated; runs until SIGTERM. Stopping it",
        "leaves the node and the remote pods in place, so a restart picks up where it left."},
    footerHeading = "%nExamples:%n",
    footer = {
        "  pontoon virtual-kubelet --foreign-credentials-secret pontoon-tenant-cluster-2/pontoon-peer-credentials \\",
        "      --foreign-cluster-id 6f1c…  --foreign-cluster-name cluster-2",
        "  pontoon virtual-kubelet --home-kubeconfig home.yaml --foreign-kubeconfig provider.yaml \\",
        "      --foreign-cluster-id 6f1c… --foreign-cluster-name cluster-2 --metrics-port 9090"})
public final class VirtualKubeletCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--home-kubeconfig", paramLabel = "FILE",
      description = "Kubeconfig of the home cluster (default: --kubeconfig, else in-cluster).")
  Path homeKubeconfig;

  @Option(names = "--foreign-kubeconfig", paramLabel = "FILE",
      description = "Kubeconfig of the provider cluster.")
  Path foreignKubeconfig;

  @Option(names = "--foreign-credentials-secret", paramLabel = "NAMESPACE/NAME",
      description = "Secret in the home cluster with the provider's kubeconfig (key 'kubeconfig'), as peering stores it.")
  String foreignSecret;

  @Option(names = "--foreign-cluster-id", required = true, paramLabel = "UUID", description = "Cluster ID of the provider.")
  String foreignClusterId;

  @Option(names = "--foreign-cluster-name", required = true, paramLabel = "NAME", description = "Name of the provider.")
  String foreignClusterName;

  @Option(names = "--node-name", paramLabel = "NAME", description = "Name of the virtual node (default: pontoon-<foreign-cluster-name>).")
  String nodeName;

  @Option(names = "--node-ip", paramLabel = "IP",
      description = "Address the home API server reaches the kubelet endpoint at (default: $POD_IP, else 127.0.0.1).")
  String nodeIp;

  @Option(names = "--kubelet-port", defaultValue = "0", paramLabel = "PORT",
      description = "Port of the kubelet endpoint (kubectl logs); 0 picks a free one. Default: ${DEFAULT-VALUE}.")
  int kubeletPort;

  @Option(names = "--twin-namespace-mapping", defaultValue = "DefaultName", paramLabel = "STRATEGY",
      description = "Twin namespace naming for namespaces without a NamespaceOffloading: ${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}.")
  NamespaceMappingStrategy mapping;

  @Option(names = "--pod-workers", defaultValue = "10", paramLabel = "N", description = "Pod loop workers. Default: ${DEFAULT-VALUE}.")
  int podWorkers;

  @Option(names = "--metrics-port", defaultValue = "0", paramLabel = "PORT",
      description = "Port of /metrics, /healthz and /readyz; 0 picks a free one, -1 serves none. Default: ${DEFAULT-VALUE}.")
  int metricsPort;

  @Option(names = "--sharing-percentage", defaultValue = "50", paramLabel = "PERCENT",
      description = "Share of the provider's free resources the node shows while no ResourceSlice grants any. Default: ${DEFAULT-VALUE}.")
  int sharingPercentage;

  @Option(names = "--home-cluster-name", paramLabel = "NAME",
      description = "This cluster's name, when no agent has written pontoon-system/pontoon-identity.")
  String homeClusterName;

  @Option(names = "--home-cluster-id", paramLabel = "UUID",
      description = "This cluster's ID, when no agent has written pontoon-system/pontoon-identity.")
  String homeClusterId;

  @Option(names = "--delete-node-on-exit", description = "Delete the virtual node on SIGTERM (its pods are then deleted at home).")
  boolean deleteNodeOnExit;

  @Override
  public Integer call() throws Exception {
    if ((foreignKubeconfig == null) == (foreignSecret == null)) {
      throw new UserError("give exactly one of --foreign-kubeconfig and --foreign-credentials-secret", 2);
    }
    KubeOptions root = PontoonCommand.kubeOptions(spec);
    Config homeConfig = KubeOptions.config(homeKubeconfig != null ? homeKubeconfig : root.kubeconfig(),
        homeKubeconfig != null ? null : root.context());
    KubernetesClient home = new KubernetesClientBuilder().withConfig(homeConfig).build();
    ClusterIdentity identity = homeIdentity(home);
    Config foreignConfig = foreignKubeconfig != null ? KubeOptions.config(foreignKubeconfig, null)
        : fromSecret(home, foreignSecret);
    KubernetesClient foreign = new KubernetesClientBuilder().withConfig(foreignConfig).build();
    VirtualKubeletConfig config;
    try {
      config = new VirtualKubeletConfig(identity, foreignClusterId, foreignClusterName, nodeName,
          nodeIp != null ? nodeIp : System.getenv().getOrDefault("POD_IP", "127.0.0.1"), kubeletPort, metricsPort,
          mapping, podWorkers, sharingPercentage, null);
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage(), 2);
    }
    VirtualKubelet vk = new VirtualKubelet(home, foreign, config).start();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      vk.stop(deleteNodeOnExit);
      stopped.countDown();
    }, "virtual-kubelet-shutdown"));
    spec.commandLine().getOut().printf("virtual node %s serves provider %s; metrics on port %d%n",
        config.nodeName(), config.foreignClusterName(), vk.metricsPort());
    spec.commandLine().getOut().flush();
    stopped.await();
    return 0;
  }

  private ClusterIdentity homeIdentity(KubernetesClient home) {
    if (homeClusterId != null || homeClusterName != null) {
      if (homeClusterId == null || homeClusterName == null) {
        throw new UserError("give both --home-cluster-id and --home-cluster-name, or neither", 2);
      }
      try {
        return new ClusterIdentity(homeClusterId, homeClusterName);
      } catch (IllegalArgumentException e) {
        throw new UserError(e.getMessage(), 2);
      }
    }
    try {
      return ClusterIdentity.find(home).orElseThrow(() -> new UserError("the home cluster has no identity ("
          + PontoonNames.SYSTEM_NAMESPACE + "/" + PontoonNames.IDENTITY_CONFIGMAP
          + "): start `pontoon agent` there first, or pass --home-cluster-id and --home-cluster-name"));
    } catch (KubernetesClientException e) {
      throw new UserError("cannot read the home cluster's identity at " + home.getMasterUrl() + ": "
          + e.getMessage());
    }
  }

  private static Config fromSecret(KubernetesClient home, String ref) {
    int slash = ref.indexOf('/');
    if (slash <= 0 || slash == ref.length() - 1) {
      throw new UserError("--foreign-credentials-secret must be NAMESPACE/NAME, got \"" + ref + "\"", 2);
    }
    Secret secret;
    try {
      secret = home.secrets().inNamespace(ref.substring(0, slash)).withName(ref.substring(slash + 1)).get();
    } catch (KubernetesClientException e) {
      throw new UserError("cannot read Secret " + ref + " in the home cluster: " + e.getMessage());
    }
    String encoded = secret == null || secret.getData() == null ? null
        : secret.getData().get(PontoonNames.PEER_CREDENTIALS_KUBECONFIG_KEY);
    if (encoded == null) {
      throw new UserError("Secret " + ref + " has no key '" + PontoonNames.PEER_CREDENTIALS_KUBECONFIG_KEY
          + "'; is the peering Authenticated? See `pontoon status`");
    }
    String kubeconfig = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
    try {
      return Config.fromKubeconfig(null, kubeconfig, null);
    } catch (RuntimeException e) {
      throw new UserError("the kubeconfig in Secret " + ref + " is not usable: " + e.getMessage());
    }
  }
}
