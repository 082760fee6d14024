package io.pontoon.sandbox.apiserver.storage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pontoon.sandbox.apiserver.Json;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StoredObjectTest {
  private static ObjectNode pod() {
    return (ObjectNode) Json.parse(("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\",\"labels\":"
        + "{\"a\":\"é\\\"x\"}},\"spec\":{\"containers\":[{\"name\":\"c\",\"args\":[\"1\",\"\\n\"]}],\"n\":1.50,"
        + "\"empty\":[],\"nil\":null}}").getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void writesTheSameJsonAsThePlainTreeAloneInsideOthersAndAsText() {
    ObjectNode plain = pod();
    StoredObject stored = StoredObject.of(pod());
    assertThat(Json.bytes(stored)).isEqualTo(Json.bytes(plain));
    assertThat(stored).isEqualTo(plain);
    ObjectNode list = Json.object();
    ArrayNode items = list.putArray("items");
    items.add(stored);
    items.add(stored);
    ObjectNode plainList = Json.object();
    plainList.putArray("items").add(plain).add(plain);
    assertThat(new String(Json.bytes(list), StandardCharsets.UTF_8))
        .isEqualTo(new String(Json.bytes(plainList), StandardCharsets.UTF_8));
    assertThat(Json.text(list)).isEqualTo(Json.text(plainList));
    assertThat(Json.parse(Json.bytes(list))).isEqualTo(plainList);
  }

  @Test
  void aCopyIsAPlainTreeThatCanChange() {
    StoredObject stored = StoredObject.of(pod());
    byte[] before = Json.bytes(stored);
    ObjectNode copy = stored.deepCopy();
    ((ObjectNode) copy.get("metadata")).put("name", "q");
    assertThat(copy).isNotInstanceOf(StoredObject.class);
    assertThat(Json.bytes(stored)).isEqualTo(before);
    assertThat(Json.text(copy)).contains("\"name\":\"q\"");
  }
}
