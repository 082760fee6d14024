package io.pontoon.sandbox.apiserver.patch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.pontoon.sandbox.apiserver.ApiException;
import org.junit.jupiter.api.Test;

class PatchTypeTest {
  @Test
  void recognisesEveryPatchContentType() {
    assertThat(PatchType.fromContentType("application/json-patch+json")).isEqualTo(PatchType.JSON_PATCH);
    assertThat(PatchType.fromContentType("application/merge-patch+json")).isEqualTo(PatchType.MERGE_PATCH);
    assertThat(PatchType.fromContentType("application/strategic-merge-patch+json"))
        .isEqualTo(PatchType.STRATEGIC_MERGE_PATCH);
    assertThat(PatchType.fromContentType("application/apply-patch+yaml")).isEqualTo(PatchType.APPLY_PATCH);
  }

  @Test
  void ignoresParameters() {
    assertThat(PatchType.fromContentType("application/merge-patch+json; charset=utf-8"))
        .isEqualTo(PatchType.MERGE_PATCH);
    assertThat(PatchType.fromContentType("application/apply-patch+yaml;charset=UTF-8"))
        .isEqualTo(PatchType.APPLY_PATCH);
  }

  @Test
  void unknownTypeIs415WithTheAcceptedTypes() {
    ApiException e = catchThrowableOfType(ApiException.class, () -> PatchType.fromContentType("application/json"));
    assertThat(e.code()).isEqualTo(415);
    assertThat(e.reason()).isEqualTo("UnsupportedMediaType");
    assertThat(e.getMessage()).isEqualTo("the body of the request was in an unknown format - accepted media types include: "
        + "application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json, "
        + "application/apply-patch+yaml");
  }

  @Test
  void missingTypeIs415() {
    assertThat(catchThrowableOfType(ApiException.class, () -> PatchType.fromContentType(null)).code()).isEqualTo(415);
  }

  @Test
  void strategicMergePatchOfCustomResourceIs415WithoutStrategicInTheList() {
    ApiException e = catchThrowableOfType(ApiException.class,
        () -> PatchType.fromContentType("application/strategic-merge-patch+json", true));
    assertThat(e.code()).isEqualTo(415);
    assertThat(e.getMessage()).isEqualTo("the body of the request was in an unknown format - accepted media types include: "
        + "application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml");
    assertThat(PatchType.fromContentType("application/merge-patch+json", true)).isEqualTo(PatchType.MERGE_PATCH);
  }

  @Test
  void serverSideApplyIsRefusedClearly() {
    ApiException e = PatchType.applyNotSupported();
    assertThat(e.code()).isEqualTo(415);
    assertThat(e.reason()).isEqualTo("UnsupportedMediaType");
    assertThat(e.getMessage()).contains("server-side apply", "not supported", "--server-side");
  }

  @Test
  void contentTypeRoundTrips() {
    for (PatchType type : PatchType.values()) {
      assertThat(PatchType.fromContentType(type.contentType())).isEqualTo(type);
    }
  }
}
