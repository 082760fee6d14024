/**
 * The {@code pontoon.io/v1alpha1} kinds. CRD YAML in {@code manifests/crds/} is generated from
 * these classes; see {@code api/README.md}.
 */
package io.pontoon.api.v1alpha1;
