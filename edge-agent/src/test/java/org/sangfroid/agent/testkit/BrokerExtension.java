package org.sangfroid.agent.testkit;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Injects the JVM's one {@link TestBroker} (started on first use, ~2 s; closed when the test
 * run ends, ~4 s). Tests that share it use their own agent ids, so topics do not mix.
 */
public final class BrokerExtension implements ParameterResolver {
  private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(BrokerExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext p, ExtensionContext c) {
    return p.getParameter().getType() == TestBroker.class;
  }

  @Override
  public Object resolveParameter(ParameterContext p, ExtensionContext c) {
    return c.getRoot().getStore(NS).getOrComputeIfAbsent(TestBroker.class, k -> TestBroker.start(), TestBroker.class);
  }
}
