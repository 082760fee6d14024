package io.pontoon.cli.peering;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.pontoon.api.ClusterIdentity;
import io.pontoon.api.PontoonNames;
import io.pontoon.cli.UserError;
import io.pontoon.peering.identity.IdentityStore;
import java.util.Map;

/** A cluster's published identity, with the errors a user can act on when it is missing. */
record Identities(ClusterIdentity identity, String peeringUrl, String fingerprint) {

  static Identities of(KubernetesClient client, String what) {
    Map<String, String> data;
    try {
      data = new IdentityStore(client).published();
    } catch (KubernetesClientException e) {
      throw Errors.kube(e, "read the identity of the " + what + " cluster");
    }
    ClusterIdentity id = ClusterIdentity.from(data).orElseThrow(() -> new UserError("the " + what
        + " cluster has no Pontoon identity (ConfigMap " + PontoonNames.SYSTEM_NAMESPACE + "/"
        + PontoonNames.IDENTITY_CONFIGMAP + "); start 'pontoon agent --cluster-name NAME' there first"));
    String url = data.get(PontoonNames.IDENTITY_KEY_PEERING_URL);
    String fp = data.get(PontoonNames.IDENTITY_KEY_FINGERPRINT);
    if (url == null || fp == null) {
      throw new UserError("the agent of the " + what + " cluster has not published its peering URL yet; is 'pontoon agent' running there?");
    }
    return new Identities(id, url, fp);
  }
}
