package io.pontoon.sandbox.apiserver.resources;

import static io.pontoon.sandbox.apiserver.resources.ResourceType.ALL_VERBS;
import static io.pontoon.sandbox.apiserver.resources.ResourceType.CREATE_ONLY;

import io.pontoon.sandbox.apiserver.resources.ResourceType.Storage;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The built-in kinds the sandbox serves: those Pontoon, its controllers and kubectl touch. */
public final class BuiltinResources {
  private BuiltinResources() {}

  public static List<ResourceType> all() {
    List<ResourceType> r = new ArrayList<>();
    // core/v1
    r.add(ns("", "Pod", "pods", List.of("po"), List.of("all"), Set.of("status", "binding", "log", "eviction", "proxy")));
    r.add(ns("", "Service", "services", List.of("svc"), List.of("all"), Set.of("status", "proxy")));
    r.add(ns("", "Endpoints", "endpoints", List.of("ep"), List.of(), Set.of()));
    r.add(cluster("", "Namespace", "namespaces", List.of("ns"), Set.of("status", "finalize")));
    r.add(cluster("", "Node", "nodes", List.of("no"), Set.of("status", "proxy")));
    r.add(ns("", "ConfigMap", "configmaps", List.of("cm"), List.of(), Set.of()));
    r.add(ns("", "Secret", "secrets", List.of(), List.of(), Set.of()));
    r.add(ns("", "ServiceAccount", "serviceaccounts", List.of("sa"), List.of(), Set.of("token")));
    r.add(ns("", "Event", "events", List.of("ev"), List.of(), Set.of()));
    r.add(ns("", "ResourceQuota", "resourcequotas", List.of("quota"), List.of(), Set.of("status")));
    r.add(ns("", "LimitRange", "limitranges", List.of("limits"), List.of(), Set.of()));
    r.add(ns("", "PersistentVolumeClaim", "persistentvolumeclaims", List.of("pvc"), List.of(), Set.of("status")));
    r.add(ns("", "PodTemplate", "podtemplates", List.of(), List.of(), Set.of()));
    r.add(ns("", "ReplicationController", "replicationcontrollers", List.of("rc"), List.of("all"), Set.of("status", "scale")));
    r.add(virtual("", "Binding", "bindings", true));
    // apps/v1
    r.add(ns("apps", "Deployment", "deployments", List.of("deploy"), List.of("all"), Set.of("status", "scale")));
    r.add(ns("apps", "ReplicaSet", "replicasets", List.of("rs"), List.of("all"), Set.of("status", "scale")));
    r.add(ns("apps", "StatefulSet", "statefulsets", List.of("sts"), List.of("all"), Set.of("status", "scale")));
    r.add(ns("apps", "DaemonSet", "daemonsets", List.of("ds"), List.of("all"), Set.of("status")));
    r.add(ns("apps", "ControllerRevision", "controllerrevisions", List.of(), List.of(), Set.of()));
    // batch/v1
    r.add(ns("batch", "Job", "jobs", List.of(), List.of("all"), Set.of("status")));
    r.add(ns("batch", "CronJob", "cronjobs", List.of("cj"), List.of("all"), Set.of("status")));
    // others
    r.add(ns("coordination.k8s.io", "Lease", "leases", List.of(), List.of(), Set.of()));
    r.add(ns("discovery.k8s.io", "EndpointSlice", "endpointslices", List.of(), List.of(), Set.of()));
    r.add(ns("policy", "PodDisruptionBudget", "poddisruptionbudgets", List.of("pdb"), List.of(), Set.of("status")));
    r.add(ns("networking.k8s.io", "NetworkPolicy", "networkpolicies", List.of("netpol"), List.of(), Set.of()));
    r.add(ns("networking.k8s.io", "Ingress", "ingresses", List.of("ing"), List.of(), Set.of("status")));
    r.add(cluster("scheduling.k8s.io", "PriorityClass", "priorityclasses", List.of("pc"), Set.of()));
    r.add(ns("rbac.authorization.k8s.io", "Role", "roles", List.of(), List.of(), Set.of()));
    r.add(ns("rbac.authorization.k8s.io", "RoleBinding", "rolebindings", List.of(), List.of(), Set.of()));
    r.add(cluster("rbac.authorization.k8s.io", "ClusterRole", "clusterroles", List.of(), Set.of()));
    r.add(cluster("rbac.authorization.k8s.io", "ClusterRoleBinding", "clusterrolebindings", List.of(), Set.of()));
    r.add(cluster("certificates.k8s.io", "CertificateSigningRequest", "certificatesigningrequests", List.of("csr"),
        Set.of("status", "approval")));
    r.add(cluster("admissionregistration.k8s.io", "MutatingWebhookConfiguration", "mutatingwebhookconfigurations",
        List.of(), Set.of()));
    r.add(cluster("admissionregistration.k8s.io", "ValidatingWebhookConfiguration",
        "validatingwebhookconfigurations", List.of(), Set.of()));
    r.add(cluster("apiextensions.k8s.io", "CustomResourceDefinition", "customresourcedefinitions",
        List.of("crd", "crds"), Set.of("status")));
    r.add(virtual("authentication.k8s.io", "TokenReview", "tokenreviews", false));
    r.add(virtual("authentication.k8s.io", "SelfSubjectReview", "selfsubjectreviews", false));
    r.add(virtual("authorization.k8s.io", "SubjectAccessReview", "subjectaccessreviews", false));
    r.add(virtual("authorization.k8s.io", "SelfSubjectAccessReview", "selfsubjectaccessreviews", false));
    r.add(virtual("authorization.k8s.io", "SelfSubjectRulesReview", "selfsubjectrulesreviews", false));
    r.add(virtual("authorization.k8s.io", "LocalSubjectAccessReview", "localsubjectaccessreviews", true));
    return r;
  }

  private static ResourceType ns(String group, String kind, String plural, List<String> shortNames,
      List<String> categories, Set<String> subresources) {
    return new ResourceType(group, List.of("v1"), kind, plural, kind.toLowerCase(java.util.Locale.ROOT), true,
        shortNames, categories, subresources, ALL_VERBS, Storage.STORED);
  }

  private static ResourceType cluster(String group, String kind, String plural, List<String> shortNames,
      Set<String> subresources) {
    return new ResourceType(group, List.of("v1"), kind, plural, kind.toLowerCase(java.util.Locale.ROOT), false,
        shortNames, List.of(), subresources, ALL_VERBS, Storage.STORED);
  }

  private static ResourceType virtual(String group, String kind, String plural, boolean namespaced) {
    return new ResourceType(group, List.of("v1"), kind, plural, kind.toLowerCase(java.util.Locale.ROOT), namespaced,
        List.of(), List.of(), Set.of(), CREATE_ONLY, Storage.VIRTUAL);
  }
}
