package io.pontoon.cli.peering;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.pontoon.api.PontoonNames;
import io.pontoon.cli.PontoonCommand;
import io.pontoon.cli.UserError;
import io.pontoon.peering.agent.Agent;
import io.pontoon.peering.agent.AgentConfig;
import io.pontoon.cli.discovery.HostPort;
import io.pontoon.peering.discovery.DiscoveryComponent;
import io.pontoon.peering.offloading.OffloadingComponent;
import io.pontoon.peering.webhook.WebhookRegistrar;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pontoon agent}: runs the cluster's agent in the foreground until stopped. */
@Command(
    name = "agent",
    mixinStandardHelpOptions = true,
    description = {"Run this cluster's Pontoon agent: identity, peering service, peerings, virtual kubelets.",
        "In a cluster it runs as a Deployment in pontoon-system; in the sandbox as a local process."},
    footerHeading = "%nExamples:%n",
    footer = {
        "  pontoon --kubeconfig c1.kubeconfig agent --cluster-name cluster-1 --peering-port 8443 \\",
        "      --advertise-address 10.0.0.1 --pod-cidr 10.244.0.0/16 --service-cidr 10.96.0.0/12",
        "  # find clusters under a DNS domain and on the LAN, announce this one there:",
        "  pontoon agent --cluster-name c1 --discovery-domain clusters.example.com --dns-server 10.0.0.53 --mdns",
        "  # in a cluster, the webhook behind a Service:",
        "  pontoon agent --cluster-name c1 --webhook-service pontoon-system/pontoon-webhook:443",
        "  # sandbox dataplane mode (root): one 'pontoon gateway' per peering in namespace gw-1:",
        "  sudo pontoon agent --cluster-name c1 --gateway-netns gw-1 --gateway-endpoint 100.127.0.1:51820"})
public final class AgentCommand implements Callable<Integer> {
  @Option(names = "--cluster-name", required = true, description = "This cluster's name (a DNS-1123 label, fixed once chosen).")
  String clusterName;

  @Option(names = "--peering-port", defaultValue = "8443", description = "Port of the peering service (0: any free; default ${DEFAULT-VALUE}).")
  int peeringPort;

  @Option(names = "--bind-address", defaultValue = "0.0.0.0", description = "Address the servers listen on (default ${DEFAULT-VALUE}).")
  String bindAddress;

  @Option(names = "--advertise-address", defaultValue = "127.0.0.1", paramLabel = "HOST[:PORT]",
      description = "Where peers reach the peering service (default ${DEFAULT-VALUE} and the bound port).")
  String advertise;

  @Option(names = "--pod-cidr", defaultValue = "10.244.0.0/16", description = "This cluster's pod CIDR (default ${DEFAULT-VALUE}).")
  String podCidr;

  @Option(names = "--service-cidr", defaultValue = "10.96.0.0/12", description = "This cluster's service CIDR (default ${DEFAULT-VALUE}).")
  String serviceCidr;

  @Option(names = "--metrics-port", defaultValue = "9090", description = "Port of /metrics, /healthz, /readyz (0: any free; -1: off; default ${DEFAULT-VALUE}).")
  int metricsPort;

  @Option(names = "--sharing-percentage", defaultValue = "50", description = "Share of free allocatable granted to each consumer (default ${DEFAULT-VALUE}).")
  int sharingPercentage;

  @Option(names = "--api-server-url", description = "This cluster's API server as peers reach it (default: the kubeconfig's).")
  String apiServerUrl;

  @Option(names = "--gateway-endpoint", paramLabel = "HOST:PORT", description = "This cluster's gateway (default: advertise host and 51820).")
  String gatewayEndpoint;

  @Option(names = "--gateway-netns", paramLabel = "NAME", description = "Network namespace the agent starts gateway processes in (sandbox dataplane mode).")
  String gatewayNetns;

  @Option(names = "--vk-log-dir", description = "Directory for the virtual kubelets' logs (default: stderr, each line prefixed [vk CLUSTER]).")
  Path vkLogDir;

  @Option(names = "--webhook-port", defaultValue = "9443",
      description = "Port of the pod offloading webhook (0: any free; -1: no webhook; default ${DEFAULT-VALUE}).")
  int webhookPort;

  @Option(names = "--webhook-service", paramLabel = "NAMESPACE/NAME[:PORT]",
      description = "In a cluster: the Service the API server calls the webhook through (port default 443). "
          + "Without it the webhook is registered by URL on the advertise host.")
  String webhookService;

  @Option(names = "--discovery-domain", paramLabel = "DOMAIN",
      description = "Browse DNS-SD (_pontoon._tcp.DOMAIN) for clusters every 30s (repeatable).")
  List<String> discoveryDomains = new ArrayList<>();

  @Option(names = "--dns-server", paramLabel = "HOST:PORT",
      description = "DNS server for --discovery-domain, tried in order (repeatable; default: the system's).")
  List<String> dnsServers = new ArrayList<>();

  @Option(names = "--mdns", description = "Announce this cluster over mDNS and browse for others on the LAN.")
  boolean mdns;

  @Option(names = "--mdns-interface", paramLabel = "IF",
      description = "Interface for mDNS (repeatable; default: every up, multicast, non-loopback IPv4 interface).")
  List<String> mdnsInterfaces = new ArrayList<>();

  @Option(names = "--ready-file", description = "Written with the peering URL once the agent serves (for supervisors).")
  Path readyFile;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (!PontoonNames.isDns1123Label(clusterName)) throw usage("--cluster-name must be a DNS-1123 label, got " + clusterName);
    for (String c : new String[] {podCidr, serviceCidr}) {
      if (!c.matches(PontoonNames.IPV4_CIDR_PATTERN)) throw usage("CIDRs must be IPv4 like 10.244.0.0/16, got " + c);
    }
    if (sharingPercentage < 1 || sharingPercentage > 100) throw usage("--sharing-percentage must be 1..100");
    String host = advertise;
    int port = 0;
    int colon = advertise.lastIndexOf(':');
    if (colon > 0 && !advertise.contains("]") && advertise.indexOf(':') == colon) {
      host = advertise.substring(0, colon);
      try {
        port = Integer.parseInt(advertise.substring(colon + 1));
      } catch (NumberFormatException e) {
        throw usage("--advertise-address must be HOST or HOST:PORT, got " + advertise);
      }
    }
    checkGateway();
    OffloadingComponent.Webhook webhook = webhookOptions();
    DiscoveryComponent.Settings discovery = discoverySettings();
    var kube = PontoonCommand.kubeOptions(spec);
    AgentConfig config = AgentConfig.defaults(clusterName).withPorts(peeringPort, metricsPort).withBindHost(bindAddress)
        .withAdvertise(host, port).withCidrs(podCidr, serviceCidr).withSharingPercentage(sharingPercentage)
        .withApiServerUrl(apiServerUrl).withGatewayEndpoint(gatewayEndpoint)
        .withHomeKubeconfig(kube.kubeconfig() == null ? null : kube.kubeconfig().toAbsolutePath()).withVkLogDir(vkLogDir)
        .withGatewayNetns(gatewayNetns);
    KubernetesClient client = kube.client();
    Agent agent = new Agent(config, client).withComponent(new OffloadingComponent(webhook));
    if (discovery.enabled()) agent.withComponent(new DiscoveryComponent(discovery));
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      agent.close();
      client.close();
      stopped.countDown();
    }, "agent-shutdown"));
    try {
      agent.start();
    } catch (IllegalStateException e) {
      throw new UserError(e.getMessage());
    }
    if (readyFile != null) {
      Path tmp = readyFile.resolveSibling(readyFile.getFileName() + ".tmp");
      Files.writeString(tmp, agent.peeringUrl() + " " + agent.fingerprint() + "\n");
      Files.move(tmp, readyFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
    spec.commandLine().getOut().println("agent of " + clusterName + " serving peering at " + agent.peeringUrl()
        + " (fingerprint " + agent.fingerprint() + ")");
    spec.commandLine().getOut().flush();
    stopped.await();
    return 0;
  }

  private void checkGateway() {
    if (gatewayEndpoint != null) {
      try {
        io.pontoon.peering.network.PeerTunnels.endpoint(gatewayEndpoint);
      } catch (IllegalArgumentException e) {
        throw usage("--gateway-endpoint: " + e.getMessage() + " (like 100.127.0.1:51820)");
      }
    }
    if (gatewayNetns == null) return;
    if (!gatewayNetns.matches("[A-Za-z0-9_.-]{1,64}")) {
      throw usage("--gateway-netns must be the name of a network namespace (see 'ip netns list'), got " + gatewayNetns);
    }
    if (!Files.exists(Path.of("/var/run/netns", gatewayNetns))) {
      throw new UserError("network namespace '" + gatewayNetns + "' does not exist (see 'ip netns list'); "
          + "create it (sandbox up --dataplane does) or drop --gateway-netns");
    }
    if (!isRoot()) {
      throw new UserError("--gateway-netns needs root: the agent starts 'pontoon gateway' in " + gatewayNetns
          + " and removes its WireGuard interfaces and nft tables there; run it with sudo or drop --gateway-netns");
    }
  }

  private static boolean isRoot() {
    try {
      return Files.readAllLines(Path.of("/proc/self/status")).stream()
          .anyMatch(l -> l.startsWith("Uid:") && l.split("\\s+")[1].equals("0"));
    } catch (java.io.IOException e) {
      return false;
    }
  }

  private DiscoveryComponent.Settings discoverySettings() {
    if (!mdnsInterfaces.isEmpty() && !mdns) throw usage("--mdns-interface needs --mdns");
    if (!dnsServers.isEmpty() && discoveryDomains.isEmpty()) throw usage("--dns-server needs --discovery-domain");
    for (String d : discoveryDomains) {
      if (!d.matches("^([A-Za-z0-9]([-A-Za-z0-9]{0,61}[A-Za-z0-9])?\\.)*[A-Za-z0-9]([-A-Za-z0-9]{0,61}[A-Za-z0-9])?\\.?$")) {
        throw usage("--discovery-domain must be a DNS domain like clusters.example.com, got " + d);
      }
    }
    List<InetSocketAddress> servers = new ArrayList<>();
    for (String s : dnsServers) servers.add(HostPort.parse(spec.commandLine(), "--dns-server", s, 53));
    return DiscoveryComponent.Settings.of(discoveryDomains, servers, mdns, mdnsInterfaces);
  }

  private OffloadingComponent.Webhook webhookOptions() {
    if (webhookPort < -1 || webhookPort > 65535) throw usage("--webhook-port must be 0..65535 (or -1 for no webhook), got " + webhookPort);
    if (webhookPort == -1) {
      if (webhookService != null) throw usage("--webhook-service needs the webhook; drop --webhook-port -1");
      return null;
    }
    return new OffloadingComponent.Webhook(webhookPort, webhookService == null ? null : parseService(webhookService));
  }

  private WebhookRegistrar.Endpoint parseService(String value) {
    var m = java.util.regex.Pattern.compile("([a-z0-9]([-a-z0-9]*[a-z0-9])?)/([a-z0-9]([-a-z0-9]*[a-z0-9])?)(:(\\d{1,5}))?")
        .matcher(value);
    if (!m.matches()) {
      throw usage("--webhook-service must be NAMESPACE/NAME[:PORT] like pontoon-system/pontoon-webhook:443, got " + value);
    }
    int port = m.group(6) == null ? 443 : Integer.parseInt(m.group(6));
    if (port < 1 || port > 65535) throw usage("--webhook-service port must be 1..65535, got " + port);
    return WebhookRegistrar.Endpoint.service(m.group(1), m.group(3), port);
  }

  private CommandLine.ParameterException usage(String msg) {
    return new CommandLine.ParameterException(spec.commandLine(), msg);
  }
}
