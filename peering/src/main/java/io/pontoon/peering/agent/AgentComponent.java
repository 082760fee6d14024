package io.pontoon.peering.agent;

/**
 * A part of the agent with a lifecycle: controllers, servers, per-peer supervisors. The agent
 * starts components in the order they were added, after identity, CRDs and the peering service
 * exist, and closes them in reverse order. {@code /readyz} is ready when every component is.
 */
public interface AgentComponent extends AutoCloseable {
  String name();

  void start(AgentContext context) throws Exception;

  default boolean ready() {
    return true;
  }

  @Override
  void close();
}
