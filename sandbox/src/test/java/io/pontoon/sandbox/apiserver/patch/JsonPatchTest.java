package io.pontoon.sandbox.apiserver.patch;

import static io.pontoon.sandbox.apiserver.patch.Trees.detail;
import static io.pontoon.sandbox.apiserver.patch.Trees.node;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import io.pontoon.sandbox.apiserver.ApiException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 6902 appendix A examples, and what kube-apiserver answers when an operation fails. */
class JsonPatchTest {
  private static JsonNode patch(String document, String operations) {
    return JsonPatch.decode(node(operations)).apply(node(document));
  }

  private static ApiException failure(String document, String operations) {
    return catchThrowableOfType(ApiException.class, () -> patch(document, operations));
  }

  @Test
  void a1AddingAnObjectMember() {
    assertThat(patch("{'foo':'bar'}", "[{'op':'add','path':'/baz','value':'qux'}]"))
        .isEqualTo(node("{'baz':'qux','foo':'bar'}"));
  }

  @Test
  void a2AddingAnArrayElement() {
    assertThat(patch("{'foo':['bar','baz']}", "[{'op':'add','path':'/foo/1','value':'qux'}]"))
        .isEqualTo(node("{'foo':['bar','qux','baz']}"));
  }

  @Test
  void a3RemovingAnObjectMember() {
    assertThat(patch("{'baz':'qux','foo':'bar'}", "[{'op':'remove','path':'/baz'}]"))
        .isEqualTo(node("{'foo':'bar'}"));
  }

  @Test
  void a4RemovingAnArrayElement() {
    assertThat(patch("{'foo':['bar','qux','baz']}", "[{'op':'remove','path':'/foo/1'}]"))
        .isEqualTo(node("{'foo':['bar','baz']}"));
  }

  @Test
  void a5ReplacingAValue() {
    assertThat(patch("{'baz':'qux','foo':'bar'}", "[{'op':'replace','path':'/baz','value':'boo'}]"))
        .isEqualTo(node("{'baz':'boo','foo':'bar'}"));
  }

  @Test
  void a6MovingAValue() {
    assertThat(patch("{'foo':{'bar':'baz','waldo':'fred'},'qux':{'corge':'grault'}}",
        "[{'op':'move','from':'/foo/waldo','path':'/qux/thud'}]"))
        .isEqualTo(node("{'foo':{'bar':'baz'},'qux':{'corge':'grault','thud':'fred'}}"));
  }

  @Test
  void a7MovingAnArrayElement() {
    assertThat(patch("{'foo':['all','grass','cows','eat']}", "[{'op':'move','from':'/foo/1','path':'/foo/3'}]"))
        .isEqualTo(node("{'foo':['all','cows','eat','grass']}"));
  }

  @Test
  void a8TestingAValueSuccess() {
    assertThat(patch("{'baz':'qux','foo':['a',2,'c']}",
        "[{'op':'test','path':'/baz','value':'qux'},{'op':'test','path':'/foo/1','value':2}]"))
        .isEqualTo(node("{'baz':'qux','foo':['a',2,'c']}"));
  }

  @Test
  void a9TestingAValueErrorIs422WithKubeApiserversGenericMessage() {
    ApiException e = failure("{'baz':'qux'}", "[{'op':'test','path':'/baz','value':'bar'}]");
    assertThat(e.code()).isEqualTo(422);
    assertThat(e.reason()).isEqualTo("Invalid");
    assertThat(e.getMessage()).isEqualTo("the server rejected our request due to an error in our request");
    assertThat(e.causes()).isEmpty();
    assertThat(detail(e)).isEqualTo("testing value /baz failed: test failed");
  }

  @Test
  void a10AddingANestedMemberObject() {
    assertThat(patch("{'foo':'bar'}", "[{'op':'add','path':'/child','value':{'grandchild':{}}}]"))
        .isEqualTo(node("{'foo':'bar','child':{'grandchild':{}}}"));
  }

  @Test
  void a11IgnoringUnrecognizedElements() {
    assertThat(patch("{'foo':'bar'}", "[{'op':'add','path':'/baz','value':'qux','xyz':123}]"))
        .isEqualTo(node("{'foo':'bar','baz':'qux'}"));
  }

  @Test
  void a12AddingToANonexistentTarget() {
    ApiException e = failure("{'foo':'bar'}", "[{'op':'add','path':'/baz/bat','value':'qux'}]");
    assertThat(e.code()).isEqualTo(422);
    assertThat(detail(e)).isEqualTo("add operation does not apply: doc is missing path: \"/baz/bat\": missing value");
  }

  @Test
  void a14TildeEscapeOrdering() {
    assertThat(patch("{'/':9,'~1':10}", "[{'op':'test','path':'/~01','value':10}]"))
        .isEqualTo(node("{'/':9,'~1':10}"));
    assertThat(patch("{'/':9,'~1':10}", "[{'op':'add','path':'/a~1b','value':1}]"))
        .isEqualTo(node("{'/':9,'~1':10,'a/b':1}"));
  }

  @Test
  void a15ComparingStringsAndNumbers() {
    ApiException e = failure("{'/':9,'~1':10}", "[{'op':'test','path':'/~01','value':'10'}]");
    assertThat(e.code()).isEqualTo(422);
  }

  @Test
  void a16AddingAnArrayValue() {
    assertThat(patch("{'foo':['bar']}", "[{'op':'add','path':'/foo/-','value':['abc','def']}]"))
        .isEqualTo(node("{'foo':['bar',['abc','def']]}"));
  }

  @Test
  void copyDuplicatesAValue() {
    assertThat(patch("{'a':{'b':[1,2]}}", "[{'op':'copy','from':'/a/b','path':'/c'}]"))
        .isEqualTo(node("{'a':{'b':[1,2]},'c':[1,2]}"));
  }

  @Test
  void copyIsIndependentOfItsSource() {
    assertThat(patch("{'a':{'x':1}}",
        "[{'op':'copy','from':'/a','path':'/b'},{'op':'replace','path':'/b/x','value':2}]"))
        .isEqualTo(node("{'a':{'x':1},'b':{'x':2}}"));
  }

  @Test
  void copyFromAMissingPathFails() {
    assertThat(failure("{'a':1}", "[{'op':'copy','from':'/nope','path':'/b'}]").code()).isEqualTo(422);
  }

  @Test
  void appendWithDashAndNegativeIndices() {
    assertThat(patch("{'l':[1,2]}", "[{'op':'add','path':'/l/-','value':3}]")).isEqualTo(node("{'l':[1,2,3]}"));
    assertThat(patch("{'l':[1,2]}", "[{'op':'add','path':'/l/2','value':3}]")).isEqualTo(node("{'l':[1,2,3]}"));
    assertThat(patch("{'l':[1,2]}", "[{'op':'remove','path':'/l/-1'}]")).isEqualTo(node("{'l':[1]}"));
  }

  @Test
  void addBeyondTheEndOfAnArrayFails() {
    ApiException e = failure("{'l':[1,2]}", "[{'op':'add','path':'/l/5','value':3}]");
    assertThat(e.code()).isEqualTo(422);
    assertThat(detail(e)).contains("Unable to access invalid index: 5");
  }

  @Test
  void removeOfAMissingMemberFails() {
    ApiException e = failure("{'metadata':{'labels':{}}}", "[{'op':'remove','path':'/metadata/labels/app'}]");
    assertThat(e.code()).isEqualTo(422);
    assertThat(detail(e)).isEqualTo("error in remove for path: '/metadata/labels/app': "
        + "Unable to remove nonexistent key: app: missing value");
  }

  @Test
  void replaceOfAMissingMemberAddsItAsKubeApiserverDoes() {
    assertThat(patch("{'spec':{}}", "[{'op':'replace','path':'/spec/replicas','value':3}]"))
        .isEqualTo(node("{'spec':{'replicas':3}}"));
  }

  @Test
  void replaceThroughAMissingParentFails() {
    assertThat(failure("{'spec':{}}", "[{'op':'replace','path':'/spec/template/x','value':3}]").code())
        .isEqualTo(422);
  }

  @Test
  void replaceOfTheWholeDocument() {
    assertThat(patch("{'a':1}", "[{'op':'replace','path':'','value':{'b':2}}]")).isEqualTo(node("{'b':2}"));
  }

  @Test
  void testTreatsAbsentAndNullAlike() {
    assertThat(patch("{'a':1}", "[{'op':'test','path':'/b','value':null}]")).isEqualTo(node("{'a':1}"));
  }

  @Test
  void testComparesNumbersByValueAndObjectsRegardlessOfOrder() {
    assertThat(patch("{'a':1.0,'o':{'x':1,'y':2}}",
        "[{'op':'test','path':'/a','value':1},{'op':'test','path':'/o','value':{'y':2,'x':1}}]"))
        .isEqualTo(node("{'a':1.0,'o':{'x':1,'y':2}}"));
  }

  @Test
  void operationsApplyInOrderAndAFailureLeavesTheDocumentAlone() {
    JsonNode doc = node("{'a':1}");
    catchThrowableOfType(ApiException.class, () -> JsonPatch.decode(
        node("[{'op':'add','path':'/b','value':2},{'op':'test','path':'/a','value':5}]")).apply(doc));
    assertThat(doc).isEqualTo(node("{'a':1}"));
  }

  @Test
  void unknownOperationIs422() {
    ApiException e = failure("{}", "[{'op':'frobnicate','path':'/a'}]");
    assertThat(e.code()).isEqualTo(422);
    assertThat(detail(e)).isEqualTo("Unexpected kind: frobnicate");
  }

  @Test
  void missingPathIs422() {
    assertThat(failure("{}", "[{'op':'add','value':1}]").code()).isEqualTo(422);
  }

  @Test
  void bodyThatIsNotAListIs400() {
    ApiException e = catchThrowableOfType(ApiException.class, () -> JsonPatch.decode(node("{'op':'add'}")));
    assertThat(e.code()).isEqualTo(400);
    assertThat(e.getMessage()).isEqualTo("json: cannot unmarshal object into Go value of type jsonpatch.Patch");
  }

  @Test
  void operationThatIsNotAnObjectIs400() {
    ApiException e = catchThrowableOfType(ApiException.class, () -> JsonPatch.decode(node("['add']")));
    assertThat(e.code()).isEqualTo(400);
    assertThat(e.getMessage()).isEqualTo("json: cannot unmarshal string into Go value of type jsonpatch.Operation");
  }

  @Test
  void tooManyOperationsIs413() {
    StringBuilder ops = new StringBuilder("[");
    for (int i = 0; i <= JsonPatch.MAX_OPERATIONS; i++) {
      ops.append(i == 0 ? "" : ",").append("{'op':'test','path':'/a','value':1}");
    }
    ApiException e = catchThrowableOfType(ApiException.class, () -> JsonPatch.decode(node(ops.append(']').toString())));
    assertThat(e.code()).isEqualTo(413);
    assertThat(e.reason()).isEqualTo("RequestEntityTooLarge");
    assertThat(e.getMessage()).isEqualTo(
        "Request entity too large: The allowed maximum operations in a JSON patch is 10000, got 10001");
  }

  @Test
  void emptyListChangesNothing() {
    assertThat(patch("{'a':1}", "[]")).isEqualTo(node("{'a':1}"));
  }

  @Test
  void pointerParsingAndEscaping() {
    assertThat(JsonPointer.parse("/metadata/annotations/example.com~1x~0y").tokens())
        .isEqualTo(List.of("metadata", "annotations", "example.com/x~y"));
    assertThat(JsonPointer.parse("").isRoot()).isTrue();
    assertThat(JsonPointer.parse("/").tokens()).isEqualTo(List.of(""));
    assertThat(JsonPointer.parse("a/b")).isNull();
    assertThat(JsonPointer.escape("example.com/x~y")).isEqualTo("example.com~1x~0y");
  }
}
