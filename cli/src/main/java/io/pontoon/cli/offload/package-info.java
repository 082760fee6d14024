/** {@code pontoon offload namespace} and {@code pontoon unoffload namespace}. */
package io.pontoon.cli.offload;
