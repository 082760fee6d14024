package io.pontoon.sandbox.cluster;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sandbox's partition switch: a node annotated {@value #ANNOTATION}{@code =stopped} has its
 * simulated kubelet stopped, {@code =running} started again. {@code pontoon sandbox node
 * stop|start} sets the annotation, so the switch needs no channel besides the Kubernetes API.
 */
public final class NodeControl implements ClusterComponent {
  public static final String ANNOTATION = "sandbox.pontoon.io/kubelet";
  public static final String STOPPED = "stopped";
  public static final String RUNNING = "running";
  private static final Logger LOG = LoggerFactory.getLogger(NodeControl.class);

  private final Map<String, StoppableNode> nodes;
  private SharedIndexInformer<Node> informer;

  public NodeControl(List<StoppableNode> nodes) {
    this.nodes = nodes.stream().collect(Collectors.toMap(StoppableNode::name, Function.identity()));
  }

  @Override
  public String name() {
    return "node-control";
  }

  @Override
  public void start(ClusterContext context) {
    informer = context.client().nodes().inform(new ResourceEventHandler<>() {
      @Override
      public void onAdd(Node n) {
        apply(n);
      }

      @Override
      public void onUpdate(Node o, Node n) {
        apply(n);
      }

      @Override
      public void onDelete(Node n, boolean unknown) {}
    });
  }

  private void apply(Node n) {
    StoppableNode node = nodes.get(n.getMetadata().getName());
    if (node == null) return;
    String want = n.getMetadata().getAnnotations() == null ? null : n.getMetadata().getAnnotations().get(ANNOTATION);
    if (STOPPED.equals(want) && !node.isStopped()) {
      LOG.info("node={} kubelet=stopped", node.name());
      node.stop();
    } else if (RUNNING.equals(want) && node.isStopped()) {
      LOG.info("node={} kubelet=started", node.name());
      node.start();
    }
  }

  @Override
  public void close() {
    if (informer != null) informer.close();
  }
}
