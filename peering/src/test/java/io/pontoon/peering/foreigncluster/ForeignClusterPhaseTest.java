package io.pontoon.peering.foreigncluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.pontoon.api.Conditions;
import io.pontoon.api.PontoonNames.ConditionTypes;
import io.pontoon.api.v1alpha1.ForeignClusterPhase;
import io.pontoon.api.v1alpha1.ForeignClusterStatus;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ForeignClusterPhaseTest {
  private static ForeignClusterStatus status(Object... typeStatusReason) {
    List<Condition> c = new ArrayList<>();
    for (int i = 0; i < typeStatusReason.length; i += 3) {
      Conditions.set(c, Conditions.of((String) typeStatusReason[i], (String) typeStatusReason[i + 1],
          (String) typeStatusReason[i + 2], "", null));
    }
    ForeignClusterStatus s = new ForeignClusterStatus();
    s.setConditions(c);
    return s;
  }

  @Test
  void summarisesTheConditions() {
    assertThat(ForeignClusterController.phase(status())).isEqualTo(ForeignClusterPhase.Peering);
    assertThat(ForeignClusterController.phase(status(ConditionTypes.AUTHENTICATED, "False", "TokenExpired")))
        .isEqualTo(ForeignClusterPhase.Failed);
    assertThat(ForeignClusterController.phase(status(ConditionTypes.AUTHENTICATED, "True", "Succeeded",
        ConditionTypes.RESOURCES_GRANTED, "True", "Succeeded", ConditionTypes.VIRTUAL_NODE_READY, "False", "Pending")))
        .isEqualTo(ForeignClusterPhase.Peering);
    assertThat(ForeignClusterController.phase(status(ConditionTypes.AUTHENTICATED, "True", "Succeeded",
        ConditionTypes.RESOURCES_GRANTED, "True", "Succeeded", ConditionTypes.VIRTUAL_NODE_READY, "True", "KubeletReady",
        ConditionTypes.TUNNEL_UP, "Unknown", "Pending"))).isEqualTo(ForeignClusterPhase.Peered);
    assertThat(ForeignClusterController.phase(status(ConditionTypes.AUTHENTICATED, "True", "Succeeded",
        ConditionTypes.RESOURCES_GRANTED, "True", "Succeeded", ConditionTypes.VIRTUAL_NODE_READY, "True", "KubeletReady",
        ConditionTypes.API_SERVER_REACHABLE, "False", "APIServerUnreachable"))).isEqualTo(ForeignClusterPhase.Degraded);
  }
}
