package io.pontoon.sandbox.apiserver.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pontoon.sandbox.apiserver.ApiException;
import java.util.ArrayList;
import java.util.List;

/**
 * RFC 6902 JSON patch, with the behaviour kube-apiserver has (it uses evanphx/json-patch v4):
 * <ul>
 *   <li>a body that is not a list of objects is a 400;</li>
 *   <li>more than 10000 operations is a 413;</li>
 *   <li>an operation that cannot be applied (including a failed {@code test}) is a 422 with the
 *       generic message "the server rejected our request due to an error in our request"; the
 *       detail is the exception's cause;</li>
 *   <li>{@code replace} of an absent object member adds it, a negative array index counts from
 *       the end, and {@code add}, {@code remove}, {@code move} and {@code copy} cannot target the
 *       whole document, as in that library.</li>
 * </ul>
 * The operations apply to a copy, so a failing patch leaves nothing half done.
 */
public final class JsonPatch {
  /** kube-apiserver's limit on operations in one JSON patch. */
  public static final int MAX_OPERATIONS = 10_000;

  /** One decoded operation; {@code value} is {@code null} when the member is absent. */
  public record Operation(JsonNode op, JsonNode path, JsonNode from, JsonNode value) {
    String kind() {
      return op != null && op.isTextual() ? op.textValue() : "unknown";
    }
  }

  private final List<Operation> operations;

  private JsonPatch(List<Operation> operations) {
    this.operations = List.copyOf(operations);
  }

  public List<Operation> operations() {
    return operations;
  }

  /** Decodes a parsed patch body: it must be a JSON list of objects (400 otherwise). */
  public static JsonPatch decode(JsonNode body) {
    if (body.isNull()) {
      return new JsonPatch(List.of());
    }
    if (!body.isArray()) {
      throw PatchErrors.badRequest("json: cannot unmarshal " + jsonKind(body)
          + " into Go value of type jsonpatch.Patch");
    }
    List<Operation> ops = new ArrayList<>(body.size());
    for (JsonNode element : body) {
      if (element.isNull()) {
        ops.add(new Operation(null, null, null, null));
        continue;
      }
      if (!element.isObject()) {
        throw PatchErrors.badRequest("json: cannot unmarshal " + jsonKind(element)
            + " into Go value of type jsonpatch.Operation");
      }
      ops.add(new Operation(element.get("op"), element.get("path"), element.get("from"), element.get("value")));
    }
    if (ops.size() > MAX_OPERATIONS) {
      throw PatchErrors.tooLarge("The allowed maximum operations in a JSON patch is " + MAX_OPERATIONS
          + ", got " + ops.size());
    }
    return new JsonPatch(ops);
  }

  /** Applies the patch to a copy of {@code document} and returns the copy. */
  public JsonNode apply(JsonNode document) {
    Document doc = new Document(document.deepCopy());
    for (Operation op : operations) {
      switch (op.kind()) {
        case "add" -> add(doc, op);
        case "remove" -> remove(doc, op);
        case "replace" -> replace(doc, op);
        case "move" -> move(doc, op);
        case "copy" -> copy(doc, op);
        case "test" -> test(doc, op);
        default -> throw fail("Unexpected kind: " + op.kind());
      }
    }
    return doc.root;
  }

  /** The document being patched; {@code replace} of the root swaps it. */
  private static final class Document {
    JsonNode root;

    Document(JsonNode root) {
      this.root = root;
    }
  }

  /** Where a pointer leads: the container that holds (or will hold) the value, and its key there. */
  private record Location(JsonNode container, String key) {}

  private static void add(Document doc, Operation op) {
    String path = pathOf(op, "add operation failed to decode path: missing value");
    Location at = locate(doc, path);
    if (at == null) {
      throw fail("add operation does not apply: doc is missing path: \"" + path + "\": missing value");
    }
    try {
      insert(at, valueOf(op));
    } catch (IllegalArgumentException e) {
      throw fail("error in add for path: '" + path + "': " + e.getMessage());
    }
  }

  private static void remove(Document doc, Operation op) {
    String path = pathOf(op, "remove operation failed to decode path: missing value");
    Location at = locate(doc, path);
    if (at == null) {
      throw fail("remove operation does not apply: doc is missing path: \"" + path + "\": missing value");
    }
    try {
      delete(at);
    } catch (IllegalArgumentException e) {
      throw fail("error in remove for path: '" + path + "': " + e.getMessage());
    }
  }

  private static void replace(Document doc, Operation op) {
    String path = pathOf(op, "replace operation failed to decode path: missing value");
    if (path.isEmpty()) {
      JsonNode value = valueOf(op);
      if (!value.isObject() && !value.isArray()) {
        throw fail("replace operation value must be object or array: <nil>");
      }
      doc.root = value;
      return;
    }
    Location at = locate(doc, path);
    if (at == null) {
      throw fail("replace operation does not apply: doc is missing path: " + path + ": missing value");
    }
    try {
      if (at.container.isArray()) {
        get(at);
        ((ArrayNode) at.container).set(arrayIndex(at, at.container.size() - 1), valueOf(op));
      } else {
        // As evanphx/json-patch v4 (and so kube-apiserver): replacing an absent member adds it.
        ((ObjectNode) at.container).set(at.key, valueOf(op));
      }
    } catch (IllegalArgumentException e) {
      throw fail("replace operation does not apply: doc is missing key: " + path + ": missing value");
    }
  }

  private static void move(Document doc, Operation op) {
    String from = textOf(op.from(), "move operation failed to decode from: operation, missing from field: missing value");
    Location source = locate(doc, from);
    if (source == null) {
      throw fail("move operation does not apply: doc is missing from path: " + from + ": missing value");
    }
    JsonNode value;
    try {
      value = get(source);
      delete(source);
    } catch (IllegalArgumentException e) {
      throw fail("error in move for path: '" + source.key + "': " + e.getMessage());
    }
    String path = pathOf(op, "move operation failed to decode path: operation missing path field: missing value");
    Location target = locate(doc, path);
    if (target == null) {
      throw fail("move operation does not apply: doc is missing destination path: " + path + ": missing value");
    }
    try {
      insert(target, value == null ? NullNode.getInstance() : value);
    } catch (IllegalArgumentException e) {
      throw fail("error in move for path: '" + path + "': " + e.getMessage());
    }
  }

  private static void copy(Document doc, Operation op) {
    String from = textOf(op.from(), "copy operation failed to decode from: operation, missing from field: missing value");
    Location source = locate(doc, from);
    if (source == null) {
      throw fail("copy operation does not apply: doc is missing from path: " + from + ": missing value");
    }
    JsonNode value;
    try {
      value = get(source);
    } catch (IllegalArgumentException e) {
      throw fail("error in copy for from: '" + from + "': " + e.getMessage());
    }
    if (value == null) {
      throw fail("copy operation does not apply: doc is missing from path: " + from + ": missing value");
    }
    String path = pathOf(op, "copy operation failed to decode path: missing value");
    Location target = locate(doc, path);
    if (target == null) {
      throw fail("copy operation does not apply: doc is missing destination path: " + path + ": missing value");
    }
    try {
      insert(target, value.deepCopy());
    } catch (IllegalArgumentException e) {
      throw fail("error while adding value during copy: " + e.getMessage());
    }
  }

  private static void test(Document doc, Operation op) {
    String path = pathOf(op, "test operation failed to decode path: operation missing path field: missing value");
    JsonNode actual;
    if (path.isEmpty()) {
      actual = doc.root;
    } else {
      Location at = locate(doc, path);
      if (at == null) {
        throw fail("test operation does not apply: is missing path: " + path + ": missing value");
      }
      try {
        actual = get(at);
      } catch (IllegalArgumentException e) {
        throw fail("error in test for path: '" + path + "': " + e.getMessage());
      }
    }
    // An absent member and null are the same to the library kube-apiserver uses.
    if (!JsonValues.equal(actual, op.value())) {
      throw fail("testing value " + path + " failed: test failed");
    }
  }

  private static String pathOf(Operation op, String missing) {
    return textOf(op.path(), missing);
  }

  private static String textOf(JsonNode node, String missing) {
    if (node == null || !node.isTextual()) {
      throw fail(missing);
    }
    return node.textValue();
  }

  private static JsonNode valueOf(Operation op) {
    return op.value() == null ? NullNode.getInstance() : op.value().deepCopy();
  }

  /** Walks to the parent of what {@code path} designates; {@code null} when there is none. */
  private static Location locate(Document doc, String path) {
    JsonPointer pointer = JsonPointer.parse(path);
    if (pointer == null || pointer.isRoot()) {
      return null;
    }
    JsonNode current = doc.root;
    for (String token : pointer.parentTokens()) {
      JsonNode next;
      if (current.isObject()) {
        next = current.get(token);
      } else {
        try {
          next = get(new Location(current, token));
        } catch (IllegalArgumentException e) {
          return null;
        }
      }
      if (next == null || !(next.isObject() || next.isArray())) {
        return null;
      }
      current = next;
    }
    return new Location(current, pointer.lastToken());
  }

  /** The value at a location; {@code null} for an absent object member. */
  private static JsonNode get(Location at) {
    if (at.container.isObject()) {
      return at.container.get(at.key);
    }
    int index = arrayIndex(at, at.container.size() - 1);
    return at.container.get(index);
  }

  private static void insert(Location at, JsonNode value) {
    if (at.container.isObject()) {
      ((ObjectNode) at.container).set(at.key, value);
      return;
    }
    ArrayNode array = (ArrayNode) at.container;
    if (at.key.equals("-")) {
      array.add(value);
      return;
    }
    int index;
    try {
      index = Integer.parseInt(at.key);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("value was not a proper array index: '" + at.key
          + "': strconv.Atoi: parsing " + GoFormat.quote(at.key) + ": invalid syntax");
    }
    int size = array.size() + 1;
    if (index >= size || index < -size) {
      throw invalidIndex(index);
    }
    array.insert(index < 0 ? index + size : index, value);
  }

  private static void delete(Location at) {
    if (at.container.isObject()) {
      if (!at.container.has(at.key)) {
        throw new IllegalArgumentException("Unable to remove nonexistent key: " + at.key + ": missing value");
      }
      ((ObjectNode) at.container).remove(at.key);
      return;
    }
    ((ArrayNode) at.container).remove(arrayIndex(at, at.container.size() - 1));
  }

  /** An existing index of the array at {@code at}, negative ones counting from the end. */
  private static int arrayIndex(Location at, int last) {
    int index;
    try {
      index = Integer.parseInt(at.key);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("strconv.Atoi: parsing " + GoFormat.quote(at.key) + ": invalid syntax");
    }
    int size = last + 1;
    if (index >= size || index < -size) {
      throw invalidIndex(index);
    }
    return index < 0 ? index + size : index;
  }

  private static IllegalArgumentException invalidIndex(int index) {
    return new IllegalArgumentException("Unable to access invalid index: " + index + ": invalid index referenced");
  }

  private static ApiException fail(String detail) {
    return PatchErrors.unprocessable(detail);
  }

  static String jsonKind(JsonNode node) {
    if (node.isObject()) return "object";
    if (node.isArray()) return "array";
    if (node.isTextual()) return "string";
    if (node.isNumber()) return "number";
    if (node.isBoolean()) return "bool";
    return "null";
  }
}
