package io.pontoon.sandbox.cluster.node;

import io.pontoon.sandbox.cluster.ClusterSpec;
import java.nio.file.Path;

/**
 * Where one simulated node lives: its cluster, its 1-based index, its name, its podCIDR and its
 * own directory (container logs and anything its runtime keeps).
 */
public record NodeEnv(ClusterSpec spec, int index, String name, Cidr podCidr, Path dir) {

  /** Node {@code index} (1-based) of {@code spec}: the {@code (index-1)}-th podCIDR block of the cluster. */
  public static NodeEnv of(ClusterSpec spec, int index, Path baseDir) {
    String name = spec.nodeName(index);
    Cidr cidr = Cidr.parse(spec.podCidr()).subnet(index - 1, spec.nodeShape().podCidrPrefix());
    return new NodeEnv(spec, index, name, cidr, baseDir.resolve(name));
  }
}
