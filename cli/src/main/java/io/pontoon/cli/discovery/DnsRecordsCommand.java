package io.pontoon.cli.discovery;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.pontoon.api.PontoonNames;
import io.pontoon.cli.PontoonCommand;
import io.pontoon.cli.UserError;
import io.pontoon.discovery.Announcement;
import io.pontoon.discovery.ZoneRecords;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code pontoon dns-records}: the DNS-SD records that announce the current cluster. */
@Command(
    name = "dns-records",
    mixinStandardHelpOptions = true,
    description = {
        "Print the DNS-SD records (PTR, SRV, TXT, A/AAAA) to publish so that other clusters find",
        "this one with `pontoon discover --dns-domain D` or the agent's --discovery-domain D.",
        "Identity and peering endpoint come from ConfigMap pontoon-system/pontoon-identity,",
        "which the agent writes."},
    footerHeading = "%nExamples:%n",
    footer = {
        "  pontoon dns-records --domain clusters.example.com",
        "  pontoon --kubeconfig prod.kubeconfig dns-records --domain example.com --ttl 3600 >> zone.db"})
public final class DnsRecordsCommand implements java.util.concurrent.Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--domain", paramLabel = "D", defaultValue = "example.com",
      description = "Domain the records go under (default: ${DEFAULT-VALUE}, a placeholder).")
  String domain;

  @Option(names = "--ttl", paramLabel = "SECONDS", defaultValue = "300",
      description = "TTL of the records in seconds (default: ${DEFAULT-VALUE}).")
  long ttl;

  @Override
  public Integer call() {
    if (ttl < 1 || ttl > 2_147_483_647L) {
      throw new ParameterException(spec.commandLine(), "--ttl must be 1..2147483647 seconds, got " + ttl);
    }
    Map<String, String> data;
    try (KubernetesClient client = PontoonCommand.kubeOptions(spec).client()) {
      ConfigMap cm = client.configMaps().inNamespace(PontoonNames.SYSTEM_NAMESPACE)
          .withName(PontoonNames.IDENTITY_CONFIGMAP).get();
      if (cm == null) {
        throw new UserError("this cluster has no Pontoon identity (ConfigMap " + PontoonNames.SYSTEM_NAMESPACE + "/"
            + PontoonNames.IDENTITY_CONFIGMAP + " is missing); install Pontoon and start its agent first");
      }
      data = cm.getData() == null ? Map.of() : cm.getData();
    } catch (KubernetesClientException e) {
      throw new UserError("cannot read the cluster's identity: " + e.getMessage()
          + "; check --kubeconfig/--context and that the API server is reachable");
    }
    String where = "ConfigMap " + PontoonNames.SYSTEM_NAMESPACE + "/" + PontoonNames.IDENTITY_CONFIGMAP;
    for (String key : List.of(PontoonNames.IDENTITY_KEY_CLUSTER_ID, PontoonNames.IDENTITY_KEY_CLUSTER_NAME,
        PontoonNames.IDENTITY_KEY_PEERING_URL, PontoonNames.IDENTITY_KEY_FINGERPRINT)) {
      if (data.get(key) == null || data.get(key).isBlank()) {
        throw new UserError(where + " has no " + key + ": the agent has not published its peering endpoint yet;"
            + " check that `pontoon agent` is running in " + PontoonNames.SYSTEM_NAMESPACE);
      }
    }
    Announcement announcement;
    try {
      URI url = URI.create(data.get(PontoonNames.IDENTITY_KEY_PEERING_URL));
      if (!"https".equals(url.getScheme()) || url.getHost() == null) {
        throw new IllegalArgumentException("peeringURL must be https://HOST:PORT, got " + url);
      }
      String host = url.getHost().startsWith("[") ? url.getHost().substring(1, url.getHost().length() - 1) : url.getHost();
      announcement = Announcement.of(data.get(PontoonNames.IDENTITY_KEY_CLUSTER_ID),
          data.get(PontoonNames.IDENTITY_KEY_CLUSTER_NAME), host, url.getPort() < 0 ? 443 : url.getPort(),
          data.get(PontoonNames.IDENTITY_KEY_FINGERPRINT));
    } catch (IllegalArgumentException e) {
      throw new UserError(where + " holds an invalid identity: " + e.getMessage());
    }
    ZoneRecords records;
    try {
      records = ZoneRecords.of(domain, announcement, Duration.ofSeconds(ttl), List.of());
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--domain: " + e.getMessage());
    }
    spec.commandLine().getOut().print(records.zoneFile());
    spec.commandLine().getOut().flush();
    return 0;
  }
}
