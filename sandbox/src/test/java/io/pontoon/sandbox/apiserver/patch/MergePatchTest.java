package io.pontoon.sandbox.apiserver.patch;

import static io.pontoon.sandbox.apiserver.patch.Trees.node;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import io.pontoon.sandbox.apiserver.ApiException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** RFC 7386 appendix A, and where kube-apiserver departs from it. */
class MergePatchTest {
  @ParameterizedTest(name = "{0} + {1} = {2}")
  @CsvSource(delimiter = '|', value = {
      "{'a':'b'}                 | {'a':'c'}                      | {'a':'c'}",
      "{'a':'b'}                 | {'b':'c'}                      | {'a':'b','b':'c'}",
      "{'a':'b'}                 | {'a':null}                     | {}",
      "{'a':'b','b':'c'}         | {'a':null}                     | {'b':'c'}",
      "{'a':['b']}               | {'a':'c'}                      | {'a':'c'}",
      "{'a':'c'}                 | {'a':['b']}                    | {'a':['b']}",
      "{'a':{'b':'c'}}           | {'a':{'b':'d','c':null}}       | {'a':{'b':'d'}}",
      "{'a':[{'b':'c'}]}         | {'a':[1]}                      | {'a':[1]}",
      "['a','b']                 | ['c','d']                      | ['c','d']",
      "{'a':'b'}                 | ['c']                          | ['c']",
      "{'e':null}                | {'a':1}                        | {'e':null,'a':1}",
      "[1,2]                     | {'a':'b','c':null}             | {'a':'b'}",
      "{}                        | {'a':{'bb':{'ccc':null}}}      | {'a':{'bb':{}}}",
  })
  void rfc7386Examples(String target, String patch, String result) {
    assertThat(MergePatch.apply(node(target), node(patch))).isEqualTo(node(result));
  }

  @Test
  void nullPatchIs400AsInKubeApiserver() {
    ApiException e = catchThrowableOfType(ApiException.class, () -> MergePatch.apply(node("{'a':1}"), node("null")));
    assertThat(e.code()).isEqualTo(400);
    assertThat(e.getMessage()).isEqualTo("Invalid JSON Patch");
  }

  @Test
  void scalarPatchIs400() {
    assertThat(catchThrowableOfType(ApiException.class, () -> MergePatch.apply(node("{'a':1}"), node("'bar'"))).code())
        .isEqualTo(400);
  }

  @Test
  void listsAreReplacedNotMerged() {
    assertThat(MergePatch.apply(node("{'metadata':{'finalizers':['a','b']}}"), node("{'metadata':{'finalizers':['c']}}")))
        .isEqualTo(node("{'metadata':{'finalizers':['c']}}"));
  }

  @Test
  void labelsMergeAndNullRemovesOne() {
    JsonNode current = node("{'metadata':{'name':'x','labels':{'a':'1','b':'2'}}}");
    assertThat(MergePatch.apply(current, node("{'metadata':{'labels':{'a':null,'c':'3'}}}")))
        .isEqualTo(node("{'metadata':{'name':'x','labels':{'b':'2','c':'3'}}}"));
    assertThat(current).isEqualTo(node("{'metadata':{'name':'x','labels':{'a':'1','b':'2'}}}"));
  }
}
