package io.pontoon.sandbox.apiserver.storage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pontoon.sandbox.apiserver.resources.ResourceRegistry;
import io.pontoon.sandbox.apiserver.resources.ResourceType;
import io.pontoon.sandbox.apiserver.selection.FieldSelector;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Pod watches pinned to a node by {@code spec.nodeName=NODE} are matched only against changes of
 * pods on that node (before or after the change), and see exactly what an unindexed watch with
 * the same selector sees: ADDED when a pod is bound to their node, DELETED when it leaves it.
 */
class NodeNameIndexTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final ResourceType pods = new ResourceRegistry().byKey("pods").orElseThrow();
  private final ObjectStore store = new ObjectStore(1000, 1000);

  private static ObjectNode pod(String name, String node) {
    ObjectNode o = JSON.createObjectNode();
    o.put("apiVersion", "v1").put("kind", "Pod");
    o.putObject("metadata").put("name", name).put("namespace", "default");
    ObjectNode spec = o.putObject("spec");
    if (node != null) spec.put("nodeName", node);
    return o;
  }

  private Watch watch(String selector, boolean pinned) {
    FieldSelector fs = FieldSelector.forResource("", "pods", selector);
    Predicate<ObjectNode> filter = fs::matches;
    return store.watch(pods, null, filter, pinned ? fs.exactValue("spec.nodeName").orElse(null) : null,
        store.revision(), false);
  }

  private static List<String> events(Watch w) {
    return w.drain().stream().map(e -> e.type() + " " + e.object().path("metadata").path("name").asText()).toList();
  }

  @Test
  void pinnedWatchesSeeWhatUnindexedOnesSeeForTheirNode() {
    Watch aPinned = watch("spec.nodeName=node-a", true);
    Watch aPlain = watch("spec.nodeName=node-a", false);
    Watch bPinned = watch("spec.nodeName=node-b", true);
    Watch unscheduled = watch("spec.nodeName=", true);
    Watch all = watch("", false);

    ObjectNode p = store.create(pods, pod("p", null));
    ObjectNode bound = p.deepCopy();
    ((ObjectNode) bound.get("spec")).put("nodeName", "node-a");
    bound = store.update(pods, bound, ObjectStore.resourceVersionOf(p));
    ObjectNode moved = bound.deepCopy();
    ((ObjectNode) moved.get("spec")).put("nodeName", "node-b");
    moved = store.update(pods, moved, ObjectStore.resourceVersionOf(bound));
    store.create(pods, pod("q", "node-b"));
    store.remove(pods, "default", "p", ObjectStore.resourceVersionOf(moved));

    assertThat(events(aPinned)).containsExactly("ADDED p", "DELETED p").isEqualTo(events(aPlain));
    assertThat(events(bPinned)).containsExactly("ADDED p", "ADDED q", "DELETED p");
    assertThat(events(unscheduled)).containsExactly("ADDED p", "DELETED p");
    assertThat(events(all)).containsExactly("ADDED p", "MODIFIED p", "MODIFIED p", "ADDED q", "DELETED p");
  }

  @Test
  void aClosedPinnedWatchGetsNothingMoreAndOthersOnItsNodeStillDo() {
    Watch first = watch("spec.nodeName=node-a", true);
    Watch second = watch("spec.nodeName=node-a", true);
    first.close();
    first.drain();
    store.create(pods, pod("p", "node-a"));
    assertThat(events(first)).isEmpty();
    assertThat(events(second)).containsExactly("ADDED p");
    second.close();
    Watch third = watch("spec.nodeName=node-a", true);
    store.create(pods, pod("q", "node-a"));
    assertThat(events(third)).containsExactly("ADDED q");
  }
}
