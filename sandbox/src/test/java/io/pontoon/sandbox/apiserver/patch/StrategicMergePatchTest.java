package io.pontoon.sandbox.apiserver.patch;

import static io.pontoon.sandbox.apiserver.patch.Trees.detail;
import static io.pontoon.sandbox.apiserver.patch.Trees.obj;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pontoon.sandbox.apiserver.ApiException;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Strategic merge patch semantics, with cases taken from the behaviour of
 * k8s.io/apimachinery/pkg/util/strategicpatch (a test schema for the generic rules, then the
 * built-in kinds through {@link PatchMeta}).
 */
class StrategicMergePatchTest {
  /** A schema with one field of each sort. */
  private static final PatchSchema TEST = new PatchSchema("test.Item", Map.of(
      "mergingList", FieldMeta.mergeByKey("name", new PatchSchema("test.Element", Map.of(
          "mergingList", FieldMeta.mergeByKey("name"),
          "nonMergingList", FieldMeta.NONE))),
      "mergingIntList", FieldMeta.mergeSet(),
      "nonMergingList", FieldMeta.NONE,
      "retainKeysMap", FieldMeta.retainKeys(PatchSchema.NONE),
      "replacedMap", FieldMeta.replace(),
      "retainKeysMergingList", FieldMeta.mergeByKeyRetainKeys("name")));

  private static ObjectNode smp(String original, String patch) {
    return StrategicMergePatch.apply(obj(original), obj(patch), TEST);
  }

  private static ApiException failure(String original, String patch) {
    return catchThrowableOfType(ApiException.class, () -> smp(original, patch));
  }

  @Nested
  class Maps {
    @Test
    void mergeRecursivelyAndNullDeletes() {
      assertThat(smp("{'a':{'b':1,'c':2},'d':3}", "{'a':{'b':null,'e':4},'d':null}"))
          .isEqualTo(obj("{'a':{'c':2,'e':4}}"));
    }

    @Test
    void nullForAnAbsentKeyIsIgnored() {
      assertThat(smp("{'a':1}", "{'b':null,'c':{'d':null,'e':1}}")).isEqualTo(obj("{'a':1,'c':{'e':1}}"));
    }

    @Test
    void valueOfAnotherKindReplaces() {
      assertThat(smp("{'a':{'b':1}}", "{'a':'x'}")).isEqualTo(obj("{'a':'x'}"));
      assertThat(smp("{'a':'x'}", "{'a':{'b':1}}")).isEqualTo(obj("{'a':{'b':1}}"));
    }

    @Test
    void patchReplaceDirectiveReplacesTheMap() {
      assertThat(smp("{'a':{'b':1,'c':2}}", "{'a':{'$patch':'replace','d':3}}")).isEqualTo(obj("{'a':{'d':3}}"));
    }

    @Test
    void patchDeleteDirectiveEmptiesTheMap() {
      assertThat(smp("{'a':{'b':1},'z':1}", "{'a':{'$patch':'delete'}}")).isEqualTo(obj("{'a':{},'z':1}"));
    }

    @Test
    void directiveMapForAnAbsentKeyIsDropped() {
      assertThat(smp("{'z':1}", "{'a':{'$patch':'delete'},'b':{'c':{'$patch':'replace'},'d':1}}"))
          .isEqualTo(obj("{'z':1,'b':{'d':1}}"));
    }

    @Test
    void unknownMapDirectiveIs500() {
      ApiException e = failure("{'a':{'b':1}}", "{'a':{'$patch':'merge'}}");
      assertThat(e.code()).isEqualTo(500);
      assertThat(e.getMessage()).isEqualTo("unknown patch type: merge in map: map[$patch:merge]");
    }

    @Test
    void replaceStrategyTakesThePatchWhole() {
      assertThat(smp("{'replacedMap':{'a':1,'b':2}}", "{'replacedMap':{'c':3}}"))
          .isEqualTo(obj("{'replacedMap':{'c':3}}"));
    }
  }

  @Nested
  class RetainKeys {
    @Test
    void clearsKeysNotRetained() {
      assertThat(smp("{'retainKeysMap':{'name':'type1','value':'foo'}}",
          "{'retainKeysMap':{'$retainKeys':['name','other'],'name':'type2','other':'bar'}}"))
          .isEqualTo(obj("{'retainKeysMap':{'name':'type2','other':'bar'}}"));
    }

    @Test
    void addsAFieldAndKeepsRetainedOnes() {
      assertThat(smp("{'retainKeysMap':{'name':'foo','other':'a'}}",
          "{'retainKeysMap':{'$retainKeys':['name','value'],'value':'bar'}}"))
          .isEqualTo(obj("{'retainKeysMap':{'name':'foo','value':'bar'}}"));
    }

    @Test
    void deletesAField() {
      assertThat(smp("{'retainKeysMap':{'name':'foo','value':'bar'}}",
          "{'retainKeysMap':{'$retainKeys':['name'],'value':null}}"))
          .isEqualTo(obj("{'retainKeysMap':{'name':'foo'}}"));
    }

    @Test
    void inAListElement() {
      assertThat(smp("{'retainKeysMergingList':[{'name':'bar'},{'name':'foo','value':'a','other':'x'}]}",
          "{'$setElementOrder/retainKeysMergingList':[{'name':'bar'},{'name':'foo'}],"
              + "'retainKeysMergingList':[{'$retainKeys':['name','value'],'name':'foo'}]}"))
          .isEqualTo(obj("{'retainKeysMergingList':[{'name':'bar'},{'name':'foo','value':'a'}]}"));
    }

    @Test
    void patchKeyMissingFromTheListIs400() {
      ApiException e = failure("{'retainKeysMap':{'name':'foo'}}",
          "{'retainKeysMap':{'$retainKeys':['name'],'value':'x'}}");
      assertThat(e.code()).isEqualTo(400);
      assertThat(e.getMessage()).isEqualTo("invalid patch format of retainKeys");
    }

    @Test
    void listThatIsNotAListIs400() {
      assertThat(failure("{'retainKeysMap':{}}", "{'retainKeysMap':{'$retainKeys':'name'}}").code()).isEqualTo(400);
    }
  }

  @Nested
  class MergingListsOfMaps {
    @Test
    void mergesElementsByKey() {
      assertThat(smp("{'mergingList':[{'name':'1','value':'1'},{'name':'2','value':'2'}]}",
          "{'mergingList':[{'name':'1','value':'a','other':'b'}]}"))
          .isEqualTo(obj("{'mergingList':[{'name':'1','value':'a','other':'b'},{'name':'2','value':'2'}]}"));
    }

    @Test
    void newElementsComeBeforeTheServersWithoutAnOrderDirective() {
      assertThat(smp("{'mergingList':[{'name':'1'},{'name':'2'}]}", "{'mergingList':[{'name':'3'}]}"))
          .isEqualTo(obj("{'mergingList':[{'name':'3'},{'name':'1'},{'name':'2'}]}"));
    }

    @Test
    void deleteDirectiveRemovesTheElement() {
      assertThat(smp("{'mergingList':[{'name':'1'},{'name':'2'},{'name':'3'}]}",
          "{'mergingList':[{'name':'2','$patch':'delete'}]}"))
          .isEqualTo(obj("{'mergingList':[{'name':'1'},{'name':'3'}]}"));
    }

    @Test
    void deleteOfAMissingElementChangesNothing() {
      assertThat(smp("{'mergingList':[{'name':'1'}]}", "{'mergingList':[{'name':'9','$patch':'delete'}]}"))
          .isEqualTo(obj("{'mergingList':[{'name':'1'}]}"));
    }

    @Test
    void addAndDeleteTogether() {
      assertThat(smp("{'mergingList':[{'name':'1'},{'name':'2'}]}",
          "{'mergingList':[{'name':'3'},{'name':'1','$patch':'delete'}]}"))
          .isEqualTo(obj("{'mergingList':[{'name':'3'},{'name':'2'}]}"));
    }

    @Test
    void replaceDirectiveReplacesTheList() {
      assertThat(smp("{'mergingList':[{'name':'1','value':'a'},{'name':'2'}]}",
          "{'mergingList':[{'name':'3'},{'$patch':'replace'}]}"))
          .isEqualTo(obj("{'mergingList':[{'name':'3'}]}"));
    }

    @Test
    void nullInAnElementDeletesThatField() {
      assertThat(smp("{'mergingList':[{'name':'1','value':'a','other':'b'}]}",
          "{'mergingList':[{'name':'1','value':null}]}"))
          .isEqualTo(obj("{'mergingList':[{'name':'1','other':'b'}]}"));
    }

    @Test
    void nestedMergingListInsideAMergingList() {
      assertThat(smp("{'mergingList':[{'name':'1','mergingList':[{'name':'a','v':1},{'name':'b'}]}]}",
          "{'mergingList':[{'name':'1','mergingList':[{'name':'a','v':2}]}]}"))
          .isEqualTo(obj("{'mergingList':[{'name':'1','mergingList':[{'name':'a','v':2},{'name':'b'}]}]}"));
    }

    @Test
    void nonMergingListNestedInAMergingListIsReplaced() {
      assertThat(smp("{'mergingList':[{'name':'1','nonMergingList':[{'name':'a'},{'name':'b'}]}]}",
          "{'mergingList':[{'name':'1','nonMergingList':[{'name':'c'}]}]}"))
          .isEqualTo(obj("{'mergingList':[{'name':'1','nonMergingList':[{'name':'c'}]}]}"));
    }

    @Test
    void elementWithoutTheMergeKeyIs500() {
      ApiException e = failure("{'mergingList':[{'name':'1','value':'a'}]}", "{'mergingList':[{'value':'b'}]}");
      assertThat(e.code()).isEqualTo(500);
      assertThat(e.getMessage()).isEqualTo("map: map[value:b] does not contain declared merge key: name");
    }

    @Test
    void mergeDirectiveInAListIs500() {
      ApiException e = failure("{'mergingList':[{'name':'1'}]}", "{'mergingList':[{'$patch':'merge'}]}");
      assertThat(e.code()).isEqualTo(500);
      assertThat(e.getMessage()).isEqualTo("merging lists cannot yet be specified in the patch");
    }

    @Test
    void listOfListsIs422() {
      ApiException e = failure("{'mergingIntList':[[1]]}", "{'mergingIntList':[[2]]}");
      assertThat(e.code()).isEqualTo(422);
      assertThat(e.getMessage()).isEqualTo("the server rejected our request due to an error in our request");
      assertThat(detail(e)).isEqualTo("lists of lists are not supported");
    }
  }

  @Nested
  class ListsOfScalars {
    @Test
    void mergingListIsAUnion() {
      assertThat(smp("{'mergingIntList':[1,2]}", "{'mergingIntList':[2,3]}"))
          .isEqualTo(obj("{'mergingIntList':[1,2,3]}"));
    }

    @Test
    void newItemsComeBeforeTheServersWhenNothingOrdersThem() {
      assertThat(smp("{'mergingIntList':[1,2]}", "{'mergingIntList':[3]}"))
          .isEqualTo(obj("{'mergingIntList':[3,1,2]}"));
    }

    @Test
    void nonMergingListIsReplaced() {
      assertThat(smp("{'nonMergingList':[1,2]}", "{'nonMergingList':[3]}")).isEqualTo(obj("{'nonMergingList':[3]}"));
    }

    @Test
    void deleteFromPrimitiveList() {
      assertThat(smp("{'mergingIntList':[1,2,3]}", "{'$deleteFromPrimitiveList/mergingIntList':[2]}"))
          .isEqualTo(obj("{'mergingIntList':[1,3]}"));
    }

    @Test
    void deleteFromPrimitiveListWorksWithoutMergeStrategyToo() {
      assertThat(smp("{'nonMergingList':[1,2,3]}", "{'$deleteFromPrimitiveList/nonMergingList':[2]}"))
          .isEqualTo(obj("{'nonMergingList':[1,3]}"));
    }

    @Test
    void deleteOfAnAbsentItemOrListAddsNothing() {
      assertThat(smp("{'mergingIntList':[1,2]}", "{'$deleteFromPrimitiveList/mergingIntList':[3]}"))
          .isEqualTo(obj("{'mergingIntList':[1,2]}"));
      assertThat(smp("{'foo':['bar']}", "{'$deleteFromPrimitiveList/mergingIntList':[3]}"))
          .isEqualTo(obj("{'foo':['bar']}"));
    }

    @Test
    void malformedDeletionKeyIs400() {
      ApiException e = failure("{'mergingIntList':[1]}", "{'$deleteFromPrimitiveList':[1]}");
      assertThat(e.code()).isEqualTo(400);
      assertThat(e.getMessage()).isEqualTo("invalid patch format of primitive list");
    }

    @Test
    void mixedElementTypesAre500() {
      assertThat(failure("{'mergingIntList':[1]}", "{'mergingIntList':['a']}").code()).isEqualTo(500);
    }
  }

  @Nested
  class SetElementOrder {
    @Test
    void addAnItemAndPreserveOrder() {
      assertThat(smp("{'mergingList':[{'name':'1','other':'a'},{'name':'2','value':'2','other':'b'}]}",
          "{'$setElementOrder/mergingList':[{'name':'3'},{'name':'1'},{'name':'2'}],"
              + "'mergingList':[{'name':'3','value':'3'}]}"))
          .isEqualTo(obj("{'mergingList':[{'name':'3','value':'3'},{'name':'1','other':'a'},"
              + "{'name':'2','value':'2','other':'b'}]}"));
    }

    @Test
    void addMultipleItemsAndPreserveOrder() {
      assertThat(smp("{'mergingList':[{'name':'1','other':'a'},{'name':'2','value':'2','other':'b'}]}",
          "{'$setElementOrder/mergingList':[{'name':'1'},{'name':'4'},{'name':'2'},{'name':'3'}],"
              + "'mergingList':[{'name':'4','value':'4'},{'name':'3','value':'3'}]}"))
          .isEqualTo(obj("{'mergingList':[{'name':'1','other':'a'},{'name':'4','value':'4'},"
              + "{'name':'2','value':'2','other':'b'},{'name':'3','value':'3'}]}"));
    }

    @Test
    void deleteAnItemAndPreserveOrder() {
      assertThat(smp("{'mergingList':[{'name':'1','other':'a'},{'name':'2','value':'2','other':'b'},"
              + "{'name':'3','value':'3'}]}",
          "{'$setElementOrder/mergingList':[{'name':'2'},{'name':'1'}],"
              + "'mergingList':[{'name':'3','$patch':'delete'}]}"))
          .isEqualTo(obj("{'mergingList':[{'name':'2','value':'2','other':'b'},{'name':'1','other':'a'}]}"));
    }

    @Test
    void orderAloneReordersAndServerOnlyItemsStayInPlace() {
      assertThat(smp("{'mergingList':[{'name':'1','other':'a'},{'name':'2'},{'name':'7'},{'name':'9'},"
              + "{'name':'8'},{'name':'3'},{'name':'4'}]}",
          "{'$setElementOrder/mergingList':[{'name':'2'},{'name':'1'},{'name':'4'},{'name':'3'}]}"))
          .isEqualTo(obj("{'mergingList':[{'name':'2'},{'name':'1','other':'a'},{'name':'7'},{'name':'9'},"
              + "{'name':'8'},{'name':'4'},{'name':'3'}]}"));
    }

    @Test
    void serverOnlyItemAtTheEndStaysThere() {
      assertThat(smp("{'mergingList':[{'name':'1'},{'name':'3'},{'name':'4'},{'name':'2'},{'name':'9'}]}",
          "{'$setElementOrder/mergingList':[{'name':'4'},{'name':'2'},{'name':'3'},{'name':'1'}]}"))
          .isEqualTo(obj("{'mergingList':[{'name':'4'},{'name':'2'},{'name':'3'},{'name':'1'},{'name':'9'}]}"));
    }

    @Test
    void duplicatesKeepTheirRelativeOrder() {
      assertThat(smp("{'mergingList':[{'name':'1'},{'name':'2','value':'dup1'},{'name':'3'},"
              + "{'name':'2','value':'dup2'},{'name':'4'}]}",
          "{'$setElementOrder/mergingList':[{'name':'2'},{'name':'1'},{'name':'4'},{'name':'3'},{'name':'2'}]}"))
          .isEqualTo(obj("{'mergingList':[{'name':'2','value':'dup1'},{'name':'2','value':'dup2'},"
              + "{'name':'1'},{'name':'4'},{'name':'3'}]}"));
    }

    @Test
    void primitiveListAddAndPreserveOrder() {
      assertThat(smp("{'mergingIntList':[1,4,2]}", "{'$setElementOrder/mergingIntList':[3,1,2],'mergingIntList':[3]}"))
          .isEqualTo(obj("{'mergingIntList':[3,1,4,2]}"));
    }

    @Test
    void primitiveListDeleteAndPreserveOrder() {
      assertThat(smp("{'mergingIntList':[1,2,3]}",
          "{'$setElementOrder/mergingIntList':[2,1],'$deleteFromPrimitiveList/mergingIntList':[3]}"))
          .isEqualTo(obj("{'mergingIntList':[2,1]}"));
    }

    @Test
    void orderNamingAnAbsentItemIsFine() {
      assertThat(smp("{'mergingIntList':[1,3]}", "{'$setElementOrder/mergingIntList':[3,2,1]}"))
          .isEqualTo(obj("{'mergingIntList':[3,1]}"));
    }

    @Test
    void listAddedByThePatch() {
      assertThat(smp("{}", "{'$setElementOrder/mergingList':[{'name':'b'},{'name':'a'}],"
              + "'mergingList':[{'name':'b'},{'name':'a'}]}"))
          .isEqualTo(obj("{'mergingList':[{'name':'b'},{'name':'a'}]}"));
    }

    @Test
    void patchOrderContradictingTheDirectiveIs500() {
      ApiException e = failure("{'mergingList':[{'name':'1'},{'name':'3'},{'name':'2'}]}",
          "{'$setElementOrder/mergingList':[{'name':'1'},{'name':'2'},{'name':'3'}],"
              + "'mergingList':[{'name':'3','value':'3'},{'name':'1','value':'1'}]}");
      assertThat(e.code()).isEqualTo(500);
      assertThat(e.getMessage()).contains("doesn't match $setElementOrder list");
    }

    @Test
    void malformedDirectiveKeyIs400() {
      ApiException e = failure("{'mergingIntList':[1]}", "{'$setElementOrderX/mergingIntList':[1]}");
      assertThat(e.code()).isEqualTo(400);
      assertThat(e.getMessage()).isEqualTo("invalid patch format of setElementOrder list");
    }
  }

  @Test
  void neverModifiesItsInputs() {
    ObjectNode original = obj("{'mergingList':[{'name':'1','v':1}],'a':{'b':1}}");
    ObjectNode patch = obj("{'$setElementOrder/mergingList':[{'name':'1'}],'mergingList':[{'name':'1','v':2}],'a':null}");
    ObjectNode originalCopy = original.deepCopy();
    ObjectNode patchCopy = patch.deepCopy();
    StrategicMergePatch.apply(original, patch, TEST);
    assertThat(original).isEqualTo(originalCopy);
    assertThat(patch).isEqualTo(patchCopy);
  }

  @Test
  void appendedElementsReadAsDecodedObjects() {
    assertThat(smp("{'mergingList':[{'name':'1'}]}", "{'mergingList':[{'name':'2','value':null,'$retainKeys':['name']}]}"))
        .isEqualTo(obj("{'mergingList':[{'name':'2'},{'name':'1'}]}"));
  }
}
