package io.pontoon.sandbox.cluster.controllers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class TemplateHashTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode json(String s) throws Exception {
    return JSON.readTree(s.replace('\'', '"'));
  }

  @Test
  void equalTemplatesHashAlikeWhateverTheKeyOrder() throws Exception {
    JsonNode a = json("{'metadata':{'labels':{'app':'web','tier':'front'}},'spec':{'containers':[{'name':'a','image':'x'}]}}");
    JsonNode b = json("{'spec':{'containers':[{'image':'x','name':'a'}]},'metadata':{'labels':{'tier':'front','app':'web'}}}");
    assertThat(TemplateHash.of(a, null)).isEqualTo(TemplateHash.of(b, null));
  }

  @Test
  void differentTemplatesOrCollisionCountsHashApart() throws Exception {
    JsonNode a = json("{'spec':{'containers':[{'name':'a','image':'x:1'}]}}");
    JsonNode b = json("{'spec':{'containers':[{'name':'a','image':'x:2'}]}}");
    assertThat(TemplateHash.of(a, null)).isNotEqualTo(TemplateHash.of(b, null));
    assertThat(TemplateHash.of(a, 1)).isNotEqualTo(TemplateHash.of(a, null)).isNotEqualTo(TemplateHash.of(a, 2));
  }

  @Test
  void usesKubesSafeAlphabetAndIsStable() throws Exception {
    JsonNode a = json("{'spec':{'containers':[{'name':'a','image':'x'}]}}");
    String h = TemplateHash.of(a, null);
    assertThat(h).matches("[bcdfghjklmnpqrstvwxz2456789]{1,10}");
    assertThat(TemplateHash.of(a, null)).isEqualTo(h);
    // FNV-1a 32 test vectors, then kube's SafeEncodeString of the decimal value
    assertThat(Integer.toUnsignedLong(TemplateHash.fnv(0x811c9dc5, "a".getBytes()))).isEqualTo(0xe40c292cL);
    assertThat(TemplateHash.safeEncode("0123456789")).isEqualTo("456789bcdf");
  }
}
