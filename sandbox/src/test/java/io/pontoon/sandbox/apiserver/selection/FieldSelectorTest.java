package io.pontoon.sandbox.apiserver.selection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pontoon.sandbox.apiserver.ApiException;
import io.pontoon.sandbox.apiserver.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class FieldSelectorTest {
  private static ObjectNode obj(String s) {
    return (ObjectNode) Json.parse(s.getBytes(StandardCharsets.UTF_8));
  }

  private static final ObjectNode POD = obj("""
      {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p1","namespace":"ns"},
       "spec":{"nodeName":"node-a","restartPolicy":"Always","schedulerName":"default-scheduler",
               "serviceAccountName":"default"},
       "status":{"phase":"Running","podIP":"10.0.0.9","podIPs":[{"ip":"10.0.0.9"},{"ip":"fd00::9"}]}}
      """);

  private static String error(String group, String resource, String selector) {
    try {
      FieldSelector.forResource(group, resource, selector);
    } catch (ApiException e) {
      assertThat(e.code()).isEqualTo(400);
      return e.getMessage();
    }
    throw new AssertionError("no error for " + selector);
  }

  @Test
  void emptySelectsEverything() {
    assertThat(FieldSelector.forResource("", "pods", null).matches(POD)).isTrue();
    assertThat(FieldSelector.forResource("", "pods", "").isEmpty()).isTrue();
    assertThat(FieldSelector.forResource("", "pods", ",,").isEmpty()).isTrue();
  }

  @Test
  void podFields() {
    assertThat(FieldSelector.forResource("", "pods", "spec.nodeName=node-a").matches(POD)).isTrue();
    assertThat(FieldSelector.forResource("", "pods", "spec.nodeName==node-a").matches(POD)).isTrue();
    assertThat(FieldSelector.forResource("", "pods", "spec.nodeName!=node-a").matches(POD)).isFalse();
    assertThat(FieldSelector.forResource("", "pods", "spec.nodeName=").matches(POD)).isFalse();
    assertThat(FieldSelector.forResource("", "pods", "status.phase=Running,metadata.namespace=ns").matches(POD))
        .isTrue();
    assertThat(FieldSelector.forResource("", "pods", "status.phase=Running,metadata.name=other").matches(POD))
        .isFalse();
    assertThat(FieldSelector.forResource("", "pods", "spec.hostNetwork=false").matches(POD)).isTrue();
    assertThat(FieldSelector.forResource("", "pods", "status.podIP=10.0.0.9").matches(POD)).isTrue();
    assertThat(FieldSelector.forResource("", "pods", "status.podIPs=10.0.0.9").matches(POD)).isFalse();
    assertThat(FieldSelector.forResource("", "pods", "status.nominatedNodeName=").matches(POD)).isTrue();
    assertThat(FieldSelector.forResource("", "pods", "spec.serviceAccountName=default").matches(POD)).isTrue();
  }

  @Test
  void specHostIsTheOldNameOfNodeName() {
    FieldSelector sel = FieldSelector.forResource("", "pods", "spec.host=node-a");
    assertThat(sel.matches(POD)).isTrue();
    assertThat(sel.exactValue("spec.nodeName")).contains("node-a");
    assertThat(sel.toString()).isEqualTo("spec.nodeName=node-a");
  }

  @Test
  void exactValue() {
    FieldSelector sel = FieldSelector.forResource("", "pods", "status.phase!=Failed,spec.nodeName=n1");
    assertThat(sel.exactValue("spec.nodeName")).contains("n1");
    assertThat(sel.exactValue("status.phase")).isEmpty();
    assertThat(sel.exactValue("metadata.name")).isEmpty();
  }

  @Test
  void escaping() {
    List<FieldTerm> terms = FieldSelector.parse("metadata.name=a\\,b\\=c\\\\d");
    assertThat(terms).containsExactly(new FieldTerm("metadata.name", false, "a,b=c\\d"));
    assertThat(FieldSelector.escapeValue("a,b=c\\d")).isEqualTo("a\\,b\\=c\\\\d");
    assertThat(FieldSelector.parse("a=x\\,y,b!=z")).containsExactly(
        new FieldTerm("a", false, "x,y"), new FieldTerm("b", true, "z"));
    ObjectNode weird = obj("{\"metadata\":{\"name\":\"a,b\",\"namespace\":\"n\"}}");
    assertThat(FieldSelector.forResource("", "configmaps", "metadata.name=a\\,b").matches(weird)).isTrue();
    assertThat(FieldSelector.forResource("", "configmaps", "metadata.name=a\\,b").toString())
        .isEqualTo("metadata.name=a\\,b");
  }

  @Test
  void syntaxErrors() {
    assertThat(error("", "pods", "spec.nodeName")).isEqualTo(
        "invalid selector: 'spec.nodeName'; can't understand 'spec.nodeName'");
    assertThat(error("", "pods", "a=b,c")).isEqualTo("invalid selector: 'a=b,c'; can't understand 'c'");
    assertThat(error("", "pods", "spec.nodeName=a=b")).isEqualTo(
        "invalid field selector: unescaped character in value: 61");
    assertThat(error("", "pods", "spec.nodeName=a\\x")).isEqualTo(
        "invalid field selector: invalid escape sequence: \\x");
    assertThat(error("", "pods", "spec.nodeName=a\\")).isEqualTo(
        "invalid field selector: invalid escape sequence: \\");
    assertThat(error("", "pods", "spec.nodeName = a")).isEqualTo("field label not supported: spec.nodeName ");
  }

  @Test
  void unsupportedLabelsUseEachKindsWording() {
    assertThat(error("", "pods", "spec.foo=x")).isEqualTo("field label not supported: spec.foo");
    assertThat(error("", "nodes", "metadata.namespace=x")).isEqualTo(
        "field label not supported: metadata.namespace");
    assertThat(error("", "configmaps", "data.x=y")).isEqualTo(
        "\"data.x\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\"");
    assertThat(error("apps", "replicasets", "status.replicas=0")).isEqualTo(
        "\"status.replicas\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\"");
    assertThat(error("batch", "jobs", "status.succeeded=1")).isEqualTo(
        "field label \"status.succeeded\" not supported for batchv1.Job");
    assertThat(error("pontoon.io", "foreignclusters", "spec.clusterID=x")).isEqualTo(
        "field label not supported: spec.clusterID");
    assertThat(error("events.k8s.io", "events", "involvedObject.kind=Pod")).isEqualTo(
        "field label not supported: involvedObject.kind");
  }

  @Test
  void otherBuiltInKinds() {
    ObjectNode node = obj("{\"metadata\":{\"name\":\"n1\"},\"spec\":{\"unschedulable\":true}}");
    assertThat(FieldSelector.forResource("", "nodes", "spec.unschedulable=true").matches(node)).isTrue();
    assertThat(FieldSelector.forResource("", "nodes", "spec.unschedulable=false")
        .matches(obj("{\"metadata\":{\"name\":\"n2\"}}"))).isTrue();

    ObjectNode ns = obj("{\"metadata\":{\"name\":\"x\"},\"status\":{\"phase\":\"Terminating\"}}");
    assertThat(FieldSelector.forResource("", "namespaces", "status.phase=Terminating").matches(ns)).isTrue();

    ObjectNode secret = obj("{\"metadata\":{\"name\":\"s\",\"namespace\":\"n\"},\"type\":\"kubernetes.io/tls\"}");
    assertThat(FieldSelector.forResource("", "secrets", "type=kubernetes.io/tls").matches(secret)).isTrue();

    ObjectNode csr = obj("{\"metadata\":{\"name\":\"c\"},\"spec\":{\"signerName\":\"kubernetes.io/kube-apiserver-client\"}}");
    assertThat(FieldSelector.forResource("certificates.k8s.io", "certificatesigningrequests",
        "spec.signerName=kubernetes.io/kube-apiserver-client").matches(csr)).isTrue();

    ObjectNode rc = obj("{\"metadata\":{\"name\":\"r\",\"namespace\":\"n\"},\"status\":{\"replicas\":3}}");
    assertThat(FieldSelector.forResource("", "replicationcontrollers", "status.replicas=3").matches(rc)).isTrue();

    ObjectNode job = obj("{\"metadata\":{\"name\":\"j\",\"namespace\":\"n\"},\"status\":{}}");
    assertThat(FieldSelector.forResource("batch", "jobs", "status.successful=0").matches(job)).isTrue();

    ObjectNode svc = obj("{\"metadata\":{\"name\":\"s\",\"namespace\":\"n\"},\"spec\":{\"type\":\"ClusterIP\","
        + "\"clusterIP\":\"10.96.0.1\"}}");
    assertThat(FieldSelector.forResource("", "services", "spec.type=ClusterIP,spec.clusterIP=10.96.0.1")
        .matches(svc)).isTrue();
  }

  @Test
  void events() {
    ObjectNode ev = obj("""
        {"metadata":{"name":"e","namespace":"ns"},
         "involvedObject":{"kind":"Pod","name":"p1","namespace":"ns","uid":"u1","apiVersion":"v1",
                           "resourceVersion":"7","fieldPath":"spec.containers{c}"},
         "reason":"Scheduled","type":"Normal","reportingComponent":"default-scheduler","source":{}}
        """);
    assertThat(FieldSelector.forResource("", "events",
        "involvedObject.kind=Pod,involvedObject.name=p1,involvedObject.uid=u1,involvedObject.fieldPath=spec.containers{c}")
        .matches(ev)).isTrue();
    assertThat(FieldSelector.forResource("", "events", "reason=Scheduled,type=Normal").matches(ev)).isTrue();
    // source falls back to the reporting component when source.component is empty
    assertThat(FieldSelector.forResource("", "events", "source=default-scheduler").matches(ev)).isTrue();
    assertThat(FieldSelector.forResource("", "events", "reportingComponent=default-scheduler").matches(ev)).isTrue();

    ObjectNode ev2 = obj("""
        {"metadata":{"name":"e","namespace":"ns"},"regarding":{"kind":"Node","name":"n1"},
         "reason":"Ready","type":"Normal","reportingController":"kubelet"}
        """);
    FieldSelector sel = FieldSelector.forResource("events.k8s.io", "events",
        "regarding.kind=Node,regarding.name=n1,reportingController=kubelet,reason=Ready");
    assertThat(sel.matches(ev2)).isTrue();
    assertThat(sel.exactValue("involvedObject.name")).contains("n1");
  }

  @Test
  void customResources() {
    ObjectNode cr = obj("{\"metadata\":{\"name\":\"fc\",\"namespace\":\"ns\"},\"spec\":{\"color\":\"red\",\"size\":3}}");
    assertThat(FieldSelector.forResource("pontoon.io", "shadowpods", "metadata.name=fc,metadata.namespace=ns")
        .matches(cr)).isTrue();
    assertThat(FieldSelector.forCustomResource(true, List.of(), "metadata.name=fc").matches(cr)).isTrue();
    assertThatThrownBy(() -> FieldSelector.forCustomResource(true, List.of(), "metadata.namespace=ns"))
        .hasMessage("field label not supported: metadata.namespace");
    FieldSelector sel = FieldSelector.forCustomResource(false, List.of(".spec.color", ".spec.size"),
        "spec.color=red,spec.size=3");
    assertThat(sel.matches(cr)).isTrue();
    assertThat(sel.exactValue("spec.color")).contains("red");
  }

  @Test
  void clusterScopedBuiltInsAcceptNamespaceButOnlyEmptyMatches() {
    ObjectNode role = obj("{\"metadata\":{\"name\":\"admin\"}}");
    assertThat(FieldSelector.forResource("rbac.authorization.k8s.io", "clusterroles", "metadata.namespace=")
        .matches(role)).isTrue();
    assertThat(FieldSelector.forResource("rbac.authorization.k8s.io", "clusterroles", "metadata.namespace=x")
        .matches(role)).isFalse();
  }
}
