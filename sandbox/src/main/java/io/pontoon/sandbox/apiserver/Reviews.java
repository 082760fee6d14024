package io.pontoon.sandbox.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pontoon.sandbox.apiserver.auth.Decision;
import io.pontoon.sandbox.apiserver.auth.RbacAuthorizer;
import io.pontoon.sandbox.apiserver.auth.RequestAttributes;
import io.pontoon.sandbox.apiserver.auth.UserInfo;
import io.pontoon.sandbox.apiserver.resources.ResourceType;
import io.pontoon.sandbox.apiserver.storage.ObjectStore;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The create-only review APIs (TokenReview, SelfSubjectReview, SubjectAccessReview and its
 * self/local forms, SelfSubjectRulesReview) and the TokenRequest subresource of
 * ServiceAccounts.
 */
final class Reviews {
  private final Tokens tokens;
  private final RbacAuthorizer authorizer;
  private final ObjectStore store;

  Reviews(Tokens tokens, RbacAuthorizer authorizer, ObjectStore store) {
    this.tokens = tokens;
    this.authorizer = authorizer;
    this.store = store;
  }

  ApiResponse create(ApiRequest req, ResourceType type) {
    JsonNode body = Json.parse(req.body());
    if (!(body instanceof ObjectNode in)) throw ApiException.badRequest("the body of the request must be a JSON object");
    ObjectNode out = in.deepCopy();
    out.put("apiVersion", type.apiVersion(req.info().version()));
    out.put("kind", type.kind());
    ObjectNode status = out.putObject("status");
    switch (type.kind()) {
      case "TokenReview" -> {
        String token = in.path("spec").path("token").asText("");
        var user = token.isEmpty() ? java.util.Optional.<UserInfo>empty() : tokens.userFor(token);
        status.put("authenticated", user.isPresent());
        user.ifPresent(u -> status.set("user", userJson(u)));
        if (user.isEmpty()) status.put("error", "invalid bearer token");
      }
      case "SelfSubjectReview" -> status.set("userInfo", userJson(req.user()));
      case "SubjectAccessReview", "LocalSubjectAccessReview" -> {
        JsonNode spec = in.path("spec");
        Set<String> groups = new HashSet<>();
        spec.path("groups").forEach(g -> groups.add(g.asText()));
        String name = spec.path("user").asText("");
        if (name.isEmpty() && groups.isEmpty()) {
          throw ApiException.invalid(type.group(), type.kind(), "", List.of(new ApiException.Cause(
              "FieldValueRequired", "Required value: at least one of user or group must be specified",
              "spec.user")));
        }
        if (type.kind().equals("LocalSubjectAccessReview")) {
          String ns = spec.path("resourceAttributes").path("namespace").asText("");
          if (!ns.equals(req.info().namespace())) {
            throw ApiException.invalid(type.group(), type.kind(), "", List.of(new ApiException.Cause(
                "FieldValueInvalid", "Invalid value: \"" + ns + "\": must match metadata.namespace",
                "spec.resourceAttributes.namespace")));
          }
        }
        decide(new UserInfo(name, spec.path("uid").asText(""), groups), spec, status);
      }
      case "SelfSubjectAccessReview" -> decide(req.user(), in.path("spec"), status);
      case "SelfSubjectRulesReview" -> rules(req.user(), in.path("spec").path("namespace").asText(""), status);
      default -> throw ApiException.notFound(type.group(), type.plural(), "");
    }
    return ApiResponse.Full.json(201, out);
  }

  private void decide(UserInfo user, JsonNode spec, ObjectNode status) {
    RequestAttributes attrs;
    if (spec.has("nonResourceAttributes")) {
      JsonNode n = spec.path("nonResourceAttributes");
      attrs = RequestAttributes.nonResource(n.path("verb").asText(), n.path("path").asText());
    } else {
      JsonNode r = spec.path("resourceAttributes");
      attrs = new RequestAttributes(r.path("verb").asText(), true, r.path("group").asText(""),
          r.path("resource").asText(""), r.path("subresource").asText(""), r.path("namespace").asText(""),
          r.path("name").asText(""), "");
    }
    Decision d = authorizer.authorize(user, attrs);
    status.put("allowed", d.allowed());
    if (d.reason() != null && !d.reason().isEmpty()) status.put("reason", d.reason());
  }

  private void rules(UserInfo user, String namespace, ObjectNode status) {
    status.setAll(authorizer.rulesFor(user, namespace).toSubjectRulesReviewStatus());
  }

  /** {@code serviceaccounts/<name>/token}: a TokenRequest answered with a bearer token. */
  ApiResponse tokenRequest(ApiRequest req, ResourceType saType) {
    ObjectNode sa = store.get(saType, req.info().namespace(), req.info().name())
        .orElseThrow(() -> ApiException.notFound("", "serviceaccounts", req.info().name()));
    JsonNode body = Json.parse(req.body());
    long seconds = body.path("spec").path("expirationSeconds").asLong(3600);
    if (seconds < 600) {
      throw ApiException.invalid("authentication.k8s.io", "TokenRequest", req.info().name(), List.of(
          new ApiException.Cause("FieldValueInvalid", "Invalid value: " + seconds
              + ": may not specify a duration less than 10 minutes", "spec.expirationSeconds")));
    }
    Instant expires = Instant.now().plusSeconds(seconds);
    String token = tokens.issueForServiceAccount(req.info().namespace(), req.info().name(), Meta.uid(sa), expires);
    ObjectNode out = body instanceof ObjectNode o ? o.deepCopy() : Json.object();
    out.put("apiVersion", "authentication.k8s.io/v1");
    out.put("kind", "TokenRequest");
    Meta.metadata(out).put("name", req.info().name());
    Meta.metadata(out).put("namespace", req.info().namespace());
    Meta.metadata(out).put("creationTimestamp", Meta.now());
    out.with("spec").put("expirationSeconds", seconds);
    ObjectNode status = out.putObject("status");
    status.put("token", token);
    status.put("expirationTimestamp", Meta.timestamp(expires));
    return ApiResponse.Full.json(201, out);
  }

  static ObjectNode userJson(UserInfo u) {
    ObjectNode user = Json.object();
    user.put("username", u.name());
    if (u.uid() != null && !u.uid().isEmpty()) user.put("uid", u.uid());
    ArrayNode g = user.putArray("groups");
    u.groups().forEach(g::add);
    return user;
  }
}
