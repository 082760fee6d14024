package io.pontoon.sandbox.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.pontoon.sandbox.apiserver.SandboxApiServer;
import io.pontoon.sandbox.junit.SandboxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** CustomResourceDefinitions through kubectl: discovery, printer columns, apply, validation, explain. */
@ExtendWith(SandboxExtension.class)
class KubectlCrdIT {
  @TempDir static Path dir;
  static Kubectl kubectl;

  static final String CRD = """
      apiVersion: apiextensions.k8s.io/v1
      kind: CustomResourceDefinition
      metadata: {name: widgets.example.com}
      spec:
        group: example.com
        scope: Namespaced
        names: {plural: widgets, singular: widget, kind: Widget, shortNames: [wd], categories: [all]}
        versions:
        - name: v1
          served: true
          storage: true
          subresources: {status: {}}
          additionalPrinterColumns:
          - {name: Size, type: integer, jsonPath: .spec.size}
          - {name: Color, type: string, jsonPath: .spec.color, priority: 1}
          - {name: Age, type: date, jsonPath: .metadata.creationTimestamp}
          schema:
            openAPIV3Schema:
              type: object
              properties:
                spec:
                  type: object
                  required: [size]
                  properties:
                    size: {type: integer, minimum: 1}
                    color: {type: string, enum: [red, green, blue]}
                    tags: {type: array, items: {type: string}}
                status:
                  type: object
                  properties:
                    ready: {type: boolean}
      """;

  @BeforeAll
  static void setUp(SandboxApiServer server) {
    kubectl = Kubectl.admin(server, dir);
    assertThat(kubectl.runWithStdin(CRD, "apply", "-f", "-").ok())
        .isEqualTo("customresourcedefinition.apiextensions.k8s.io/widgets.example.com created\n");
    assertThat(kubectl.run("wait", "--for=condition=Established", "crd/widgets.example.com", "--timeout=20s").ok())
        .isEqualTo("customresourcedefinition.apiextensions.k8s.io/widgets.example.com condition met\n");
  }

  @Test
  void crdIsDiscoverableByEveryName() {
    String crds = kubectl.run("get", "crd").ok();
    assertThat(Kubectl.header(crds)).containsExactly("NAME", "CREATED AT");
    assertThat(Kubectl.row(crds, 0, "widgets.example.com")).hasSize(2);
    assertThat(Kubectl.row(kubectl.run("api-resources", "--api-group=example.com").ok(), 0, "widgets"))
        .containsExactly("widgets", "wd", "example.com/v1", "true", "Widget");
    kubectl.runWithStdin("""
        apiVersion: example.com/v1
        kind: Widget
        metadata: {name: named}
        spec: {size: 1}
        """, "create", "-f", "-").ok();
    for (String name : List.of("widgets", "widget", "wd", "widgets.example.com", "widgets.v1.example.com",
        "Widget")) {
      assertThat(kubectl.run("get", name, "named", "-o", "name").ok()).as(name)
          .isEqualTo("widget.example.com/named\n");
    }
    // categories: "all" includes it
    assertThat(kubectl.run("get", "all", "-o", "name").ok()).contains("widget.example.com/named");
  }

  @Test
  void printerColumnsWithPriorityAndTypes() {
    kubectl.runWithStdin("""
        apiVersion: example.com/v1
        kind: Widget
        metadata: {name: printed}
        spec: {size: 3, color: red}
        """, "create", "-f", "-").ok();
    String out = kubectl.run("get", "widgets", "printed").ok();
    assertThat(Kubectl.header(out)).containsExactly("NAME", "SIZE", "AGE");
    assertThat(Kubectl.row(out, 0, "printed").subList(0, 2)).containsExactly("printed", "3");
    assertThat(Kubectl.row(out, 0, "printed").get(2)).matches("\\d+s");
    String wide = kubectl.run("get", "widgets", "printed", "-o", "wide").ok();
    assertThat(Kubectl.header(wide)).containsExactly("NAME", "SIZE", "COLOR", "AGE");
    assertThat(Kubectl.row(wide, 0, "printed").subList(0, 3)).containsExactly("printed", "3", "red");
  }

  @Test
  void applyTwiceUsesAMergePatchOnCustomResources() throws Exception {
    Path f = dir.resolve("widget.yaml");
    Files.writeString(f, """
        apiVersion: example.com/v1
        kind: Widget
        metadata: {name: applied}
        spec: {size: 2, color: green, tags: [a, b]}
        """);
    assertThat(kubectl.run("apply", "-f", f.toString()).ok()).isEqualTo("widget.example.com/applied created\n");
    Files.writeString(f, Files.readString(f).replace("size: 2", "size: 5").replace("[a, b]", "[c]"));
    Kubectl.Result second = kubectl.run("apply", "-f", f.toString(), "-v=8");
    assertThat(second.ok()).isEqualTo("widget.example.com/applied configured\n");
    assertThat(second.err()).contains("application/merge-patch+json");
    assertThat(kubectl.run("get", "widget", "applied", "-o", "jsonpath={.spec}").ok())
        .isEqualTo("{\"color\":\"green\",\"size\":5,\"tags\":[\"c\"]}");
    assertThat(kubectl.run("apply", "-f", f.toString()).ok()).isEqualTo("widget.example.com/applied unchanged\n");
    // strategic merge needs Go struct tags; custom resources refuse it with a 415
    assertThat(kubectl.run("patch", "widget", "applied", "--type=strategic", "-p", "{\"spec\":{\"size\":6}}").fails())
        .isEqualTo("error: application/strategic-merge-patch+json is not supported by example.com/v1, Kind=Widget: "
            + "the body of the request was in an unknown format - accepted media types include: "
            + "application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml\n");
    kubectl.run("patch", "widget", "applied", "--type=merge", "-p", "{\"spec\":{\"size\":7}}").ok();
    assertThat(kubectl.run("get", "widget", "applied", "-o", "jsonpath={.spec.size}").ok()).isEqualTo("7");
    // the status subresource: main-resource writes leave status alone
    kubectl.run("patch", "widget", "applied", "--subresource=status", "--type=merge", "-p",
        "{\"status\":{\"ready\":true}}").ok();
    kubectl.run("patch", "widget", "applied", "--type=merge", "-p", "{\"status\":{\"ready\":false}}").ok();
    assertThat(kubectl.run("get", "widget", "applied", "-o", "jsonpath={.status.ready}").ok()).isEqualTo("true");
  }

  @Test
  void schemaViolationsAre422WithFieldCauses() {
    Kubectl.Result bad = kubectl.runWithStdin("""
        apiVersion: example.com/v1
        kind: Widget
        metadata: {name: broken}
        spec: {size: 0, color: purple}
        """, "create", "-f", "-");
    assertThat(bad.fails()).isEqualTo("""
        The Widget "broken" is invalid:\s
        * spec.color: Unsupported value: "purple": supported values: "red", "green", "blue"
        * spec.size: Invalid value: 0: spec.size in body should be greater than or equal to 1
        """);
    assertThat(kubectl.runWithStdin("""
        apiVersion: example.com/v1
        kind: Widget
        metadata: {name: empty}
        spec: {}
        """, "create", "-f", "-").fails())
        .isEqualTo("The Widget \"empty\" is invalid: spec.size: Required value\n");
    // unknown fields are pruned; with strict validation kubectl reports them as an error
    assertThat(kubectl.runWithStdin("""
        apiVersion: example.com/v1
        kind: Widget
        metadata: {name: extra}
        spec: {size: 1, shape: round}
        """, "create", "-f", "-").fails())
        .contains("unknown field \"spec.shape\"");
  }

  @Test
  void explainIsClearAboutMissingSchemas() {
    Kubectl.Result explained = kubectl.run("explain", "widgets");
    // the sandbox publishes no OpenAPI schemas; kubectl says which kind it could not find
    assertThat(explained.fails()).contains("GVK", "example.com", "Widget", "not found in OpenAPI schema");
  }

  @Test
  void deletingTheCrdRemovesItsResourcesAndDiscovery() {
    kubectl.runWithStdin(CRD.replace("widgets.example.com", "gadgets.example.com").replace("widgets", "gadgets")
        .replace("widget", "gadget").replace("Widget", "Gadget").replace("[wd]", "[gd]"), "apply", "-f", "-").ok();
    kubectl.run("wait", "--for=condition=Established", "crd/gadgets.example.com", "--timeout=20s").ok();
    kubectl.runWithStdin("""
        apiVersion: example.com/v1
        kind: Gadget
        metadata: {name: g1}
        spec: {size: 1}
        """, "create", "-f", "-").ok();
    kubectl.run("delete", "crd", "gadgets.example.com").ok();
    // kubectl's cached discovery still maps gadgets: the server answers 404 for the gone resource
    assertThat(kubectl.run("get", "gadgets").fails()).isEqualTo("Error from server (NotFound): Unable to list "
        + "\"example.com/v1, Resource=gadgets\": the server could not find the requested resource\n");
    // fresh discovery no longer lists it
    assertThat(kubectl.run("api-resources", "--api-group=example.com", "-o", "name").lines())
        .containsExactly("widgets.example.com");
    assertThat(kubectl.run("get", "gadgets").fails())
        .isEqualTo("error: the server doesn't have a resource type \"gadgets\"\n");
  }
}
