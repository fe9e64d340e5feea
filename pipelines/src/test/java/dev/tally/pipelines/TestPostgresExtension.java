package dev.tally.pipelines;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Injects a {@link TestPostgres} with a new, empty schema into a test method, and drops the schema when the test
 * ends, whatever its outcome:
 *
 * <pre>{@code
 * @ExtendWith(TestPostgresExtension.class)
 * class MyTest {
 *   @Test
 *   void reads(TestPostgres postgres) { ... }
 * }
 * }</pre>
 */
public final class TestPostgresExtension implements ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(TestPostgresExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
    return parameterContext.getParameter().getType() == TestPostgres.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
    return extensionContext
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent("schema", key -> new DroppedAtEnd(TestPostgres.withNewSchema()), DroppedAtEnd.class)
        .postgres();
  }

  /** The store closes its CloseableResources when the test's context ends. */
  private record DroppedAtEnd(TestPostgres postgres) implements ExtensionContext.Store.CloseableResource {
    @Override
    public void close() throws Throwable {
      postgres.close();
    }
  }
}
