package io.pontoon.sandbox.junit;

import io.pontoon.sandbox.apiserver.SandboxApiServer;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension: one sandbox API server per test class, injected as a
 * {@link SandboxApiServer} parameter (constructor, lifecycle or test method) and closed after the
 * class.
 *
 * <pre>{@code
 * @ExtendWith(SandboxExtension.class)
 * class MyTest {
 *   @Test void works(SandboxApiServer server) {
 *     try (var client = new KubernetesClientBuilder().withConfig(server.adminConfig()).build()) { … }
 *   }
 * }
 * }</pre>
 */
public final class SandboxExtension implements ParameterResolver {
  private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(SandboxExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext p, ExtensionContext c) {
    return p.getParameter().getType() == SandboxApiServer.class;
  }

  @Override
  public Object resolveParameter(ParameterContext p, ExtensionContext c) {
    ExtensionContext classContext = c.getTestClass().isPresent() && c.getParent().isPresent()
        && c.getTestMethod().isPresent() ? c.getParent().get() : c;
    return classContext.getStore(NS).getOrComputeIfAbsent("server", k -> new Holder(SandboxApiServer.start(
        SandboxApiServer.Options.defaults("sandbox"))), Holder.class).server;
  }

  /** Closes the server when its test class is done. */
  private record Holder(SandboxApiServer server) implements AutoCloseable {
    @Override
    public void close() {
      server.close();
    }
  }
}
