package io.pontoon.vk.pods;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.pontoon.api.ClusterIdentity;
import io.pontoon.api.PontoonNames;
import io.pontoon.api.v1alpha1.ShadowPod;
import io.pontoon.api.v1alpha1.ShadowPodSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns a home pod into the ShadowPod that asks the provider to run it: the home spec without
 * what only makes sense at home (scheduling onto the virtual node, the home ServiceAccount's
 * token), and refuses what the provider cannot run for someone else.
 */
public final class ShadowPods {
  /** Tolerations Pontoon's webhook adds for the virtual node; they mean nothing remotely. */
  private static final Set<String> HOME_ONLY_TOLERATIONS = Set.of(
      PontoonNames.VIRTUAL_NODE_TAINT_KEY);
  /** The projected token volume kube's ServiceAccount admission adds (kube-api-access-xxxxx). */
  private static final String SERVICE_ACCOUNT_VOLUME_PREFIX = "kube-api-access-";
  private static final String SERVICE_ACCOUNT_MOUNT_PATH = "/var/run/secrets/kubernetes.io/serviceaccount";

  private ShadowPods() {}

  /** Why {@code pod} cannot be offloaded, or empty when it can. */
  public static Optional<String> refusal(Pod pod) {
    PodSpec spec = pod.getSpec();
    if (Boolean.TRUE.equals(spec.getHostNetwork())) {
      return Optional.of("hostNetwork pods cannot be offloaded: the provider's host network is not "
          + "this cluster's; remove hostNetwork or keep the pod off the virtual node");
    }
    if (Boolean.TRUE.equals(spec.getHostPID()) || Boolean.TRUE.equals(spec.getHostIPC())) {
      return Optional.of("hostPID/hostIPC pods cannot be offloaded: they would share the provider's "
          + "host namespaces");
    }
    for (Volume v : list(spec.getVolumes())) {
      if (v.getHostPath() != null) {
        return Optional.of("volume " + v.getName() + " is a hostPath: a provider node's files are not "
            + "this cluster's; use an emptyDir, ConfigMap or Secret volume");
      }
      if (v.getPersistentVolumeClaim() != null) {
        return Optional.of("volume " + v.getName() + " is a PersistentVolumeClaim: claims are not "
            + "offloaded; keep the pod local (strategy Local) or use an emptyDir");
      }
    }
    for (Container c : containers(spec)) {
      if (c.getSecurityContext() != null && Boolean.TRUE.equals(c.getSecurityContext().getPrivileged())) {
        return Optional.of("container " + c.getName() + " is privileged: the provider does not run "
            + "privileged containers for other clusters");
      }
    }
    return Optional.empty();
  }

  /** The ShadowPod for {@code home} in {@code twinNamespace}. */
  public static ShadowPod of(Pod home, String twinNamespace, ClusterIdentity origin) {
    ShadowPod shadow = new ShadowPod();
    Map<String, String> labels = new LinkedHashMap<>(map(home.getMetadata().getLabels()));
    labels.put(PontoonNames.LABEL_ORIGIN_CLUSTER_ID, origin.id());
    labels.put(PontoonNames.LABEL_HOME_POD_UID, home.getMetadata().getUid());
    labels.put(PontoonNames.LABEL_MANAGED_BY, PontoonNames.MANAGED_BY_VALUE);
    Map<String, String> annotations = new LinkedHashMap<>();
    annotations.put(PontoonNames.ANNOTATION_ORIGIN_CLUSTER_NAME, origin.name());
    annotations.put(PontoonNames.ANNOTATION_HOME_POD_NAME, home.getMetadata().getName());
    annotations.put(PontoonNames.ANNOTATION_HOME_POD_NAMESPACE, home.getMetadata().getNamespace());
    shadow.setMetadata(new ObjectMetaBuilder()
        .withName(home.getMetadata().getName())
        .withNamespace(twinNamespace)
        .withLabels(labels)
        .withAnnotations(annotations)
        // the provider's controller would add its finalizer before making the Pod; sent with the
        // create it saves that write for every pod (the provider still adds it when missing)
        .withFinalizers(PontoonNames.FINALIZER_SHADOW_POD)
        .build());
    ShadowPodSpec spec = new ShadowPodSpec();
    spec.setPod(remoteSpec(home.getSpec()));
    spec.setLabels(podLabels(home, origin));
    Map<String, String> podAnnotations = new LinkedHashMap<>(map(home.getMetadata().getAnnotations()));
    podAnnotations.putAll(annotations);
    spec.setAnnotations(podAnnotations);
    spec.setOriginClusterID(origin.id());
    spec.setHomePodUID(home.getMetadata().getUid());
    spec.setHomePodName(home.getMetadata().getName());
    spec.setHomePodNamespace(home.getMetadata().getNamespace());
    shadow.setSpec(spec);
    return shadow;
  }

  /** Labels of the provider's Pod: the home pod's and Pontoon's own. */
  static Map<String, String> podLabels(Pod home, ClusterIdentity origin) {
    Map<String, String> labels = new LinkedHashMap<>(map(home.getMetadata().getLabels()));
    labels.put(PontoonNames.LABEL_ORIGIN_CLUSTER_ID, origin.id());
    labels.put(PontoonNames.LABEL_HOME_POD_UID, home.getMetadata().getUid());
    labels.put(PontoonNames.LABEL_MANAGED_BY, PontoonNames.MANAGED_BY_VALUE);
    return labels;
  }

  /** The home spec with scheduling and home-only parts removed. */
  static PodSpec remoteSpec(PodSpec home) {
    PodSpec spec = Serialization.clone(home);
    spec.setNodeName(null);
    spec.setNodeSelector(null);
    spec.setSchedulerName(null);
    // priority classes are cluster objects of the home cluster; the provider may not have them
    spec.setPriorityClassName(null);
    spec.setPriority(null);
    spec.setPreemptionPolicy(null);
    Affinity affinity = spec.getAffinity();
    if (affinity != null) {
      // node affinity names home nodes (the virtual node among them); pod (anti-)affinity still
      // means something among the pod's siblings in the twin namespace
      affinity.setNodeAffinity(null);
      if (affinity.getPodAffinity() == null && affinity.getPodAntiAffinity() == null) spec.setAffinity(null);
    }
    List<Toleration> tolerations = new ArrayList<>();
    for (Toleration t : list(spec.getTolerations())) {
      if (!HOME_ONLY_TOLERATIONS.contains(t.getKey())) tolerations.add(t);
    }
    spec.setTolerations(tolerations.isEmpty() ? null : tolerations);
    // The home ServiceAccount and its token do not exist on the provider: run as the twin
    // namespace's default account without a token rather than with a stale or foreign one.
    spec.setServiceAccountName(null);
    spec.setServiceAccount(null);
    spec.setAutomountServiceAccountToken(false);
    List<Volume> volumes = new ArrayList<>();
    for (Volume v : list(spec.getVolumes())) {
      if (!isServiceAccountVolume(v)) volumes.add(v);
    }
    spec.setVolumes(volumes.isEmpty() ? null : volumes);
    for (Container c : containers(spec)) {
      List<VolumeMount> mounts = new ArrayList<>();
      for (VolumeMount m : list(c.getVolumeMounts())) {
        boolean token = m.getName() != null && m.getName().startsWith(SERVICE_ACCOUNT_VOLUME_PREFIX)
            || SERVICE_ACCOUNT_MOUNT_PATH.equals(m.getMountPath());
        if (!token) mounts.add(m);
      }
      c.setVolumeMounts(mounts.isEmpty() ? null : mounts);
    }
    return spec;
  }

  private static boolean isServiceAccountVolume(Volume v) {
    return v.getName() != null && v.getName().startsWith(SERVICE_ACCOUNT_VOLUME_PREFIX)
        && v.getProjected() != null;
  }

  private static List<Container> containers(PodSpec spec) {
    List<Container> all = new ArrayList<>(list(spec.getInitContainers()));
    all.addAll(list(spec.getContainers()));
    return all;
  }

  static <T> List<T> list(List<T> l) {
    return l == null ? List.of() : l;
  }

  static Map<String, String> map(Map<String, String> m) {
    return m == null ? Map.of() : m;
  }
}
