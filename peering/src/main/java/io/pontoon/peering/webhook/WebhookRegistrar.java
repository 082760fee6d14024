package io.pontoon.peering.webhook;

import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.WebhookClientConfig;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.WebhookClientConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pontoon.api.PontoonNames;
import io.pontoon.peering.offloading.NamespaceOffloadingController;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Creates or updates MutatingWebhookConfiguration {@value #NAME}, pointing at the webhook with its
 * CA bundle. Only namespaces labelled {@code pontoon.io/offloading} (set by the
 * NamespaceOffloading controller) are sent, so the rest of the cluster never waits on the agent.
 */
public final class WebhookRegistrar {
  public static final String NAME = "pontoon-pod-offloading";
  static final String WEBHOOK_NAME = "pods.offloading.pontoon.io";
  static final int TIMEOUT_SECONDS = 5;

  /** Where the API server reaches the webhook: a URL, or a Service (in-cluster agents). */
  public record Endpoint(String url, String serviceNamespace, String serviceName, Integer servicePort) {
    public static Endpoint url(String url) {
      return new Endpoint(url, null, null, null);
    }

    public static Endpoint service(String namespace, String name, int port) {
      return new Endpoint(null, namespace, name, port);
    }
  }

  private final KubernetesClient client;

  public WebhookRegistrar(KubernetesClient client) {
    this.client = client;
  }

  public MutatingWebhookConfiguration register(Endpoint endpoint, String caPem) {
    String caBundle = Base64.getEncoder().encodeToString(caPem.getBytes(StandardCharsets.UTF_8));
    WebhookClientConfig cc = endpoint.url() != null
        ? new WebhookClientConfigBuilder().withUrl(endpoint.url() + PodOffloadingWebhook.PATH).withCaBundle(caBundle).build()
        : new WebhookClientConfigBuilder().withNewService().withNamespace(endpoint.serviceNamespace())
            .withName(endpoint.serviceName()).withPort(endpoint.servicePort()).withPath(PodOffloadingWebhook.PATH)
            .endService().withCaBundle(caBundle).build();
    MutatingWebhookConfiguration desired = new MutatingWebhookConfigurationBuilder()
        .withNewMetadata().withName(NAME)
        .addToLabels(PontoonNames.LABEL_MANAGED_BY, PontoonNames.MANAGED_BY_VALUE).endMetadata()
        .addNewWebhook()
        .withName(WEBHOOK_NAME)
        .withClientConfig(cc)
        .addNewRule().withOperations("CREATE").withApiGroups("").withApiVersions("v1").withResources("pods")
        .withScope("Namespaced").endRule()
        .withNamespaceSelector(new LabelSelectorBuilder().addNewMatchExpression()
            .withKey(NamespaceOffloadingController.LABEL_OFFLOADING).withOperator("Exists").endMatchExpression().build())
        // Fail, not Ignore: a Remote pod admitted without its affinity would run locally, against
        // the namespace's strategy, and nothing would move it later. The selector confines the
        // outage to offloaded namespaces, whose pod creations the controllers simply retry.
        .withFailurePolicy("Fail")
        .withMatchPolicy("Equivalent")
        .withSideEffects("None")
        .withAdmissionReviewVersions("v1")
        .withTimeoutSeconds(TIMEOUT_SECONDS)
        .withReinvocationPolicy("IfNeeded")
        .endWebhook()
        .build();
    MutatingWebhookConfiguration existing =
        client.admissionRegistration().v1().mutatingWebhookConfigurations().withName(NAME).get();
    if (existing == null) {
      return client.admissionRegistration().v1().mutatingWebhookConfigurations().resource(desired).create();
    }
    desired.getMetadata().setResourceVersion(existing.getMetadata().getResourceVersion());
    return client.admissionRegistration().v1().mutatingWebhookConfigurations().resource(desired).update();
  }

  public void unregister() {
    client.admissionRegistration().v1().mutatingWebhookConfigurations().withName(NAME).delete();
  }
}
