package dev.tally.testing;

import java.lang.reflect.Method;
import org.apache.beam.sdk.testing.TestPipeline;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.runner.Description;
import org.junit.runners.model.Statement;

/**
 * Beam's {@link TestPipeline} for JUnit 5: a fresh pipeline per test, injected as a parameter, with the checks
 * TestPipeline's JUnit 4 rule makes after the test body (the pipeline was run if transforms were applied, no
 * transform or {@code PAssert} was added after the run).
 *
 * <pre>{@code
 * @ExtendWith(TestPipelineExtension.class)
 * class MyTest {
 *   @Test
 *   void counts(TestPipeline pipeline) {
 *     PAssert.that(pipeline.apply(Create.of(1, 2))).containsInAnyOrder(1, 2);
 *     pipeline.run();
 *   }
 * }
 * }</pre>
 *
 * <p>The pipeline is also injectable into {@code @BeforeEach} methods, and works with {@code @ParameterizedTest}
 * and {@code @RepeatedTest} (declare it after the indexed arguments).
 */
public final class TestPipelineExtension implements BeforeEachCallback, ParameterResolver, InvocationInterceptor {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(TestPipelineExtension.class);
  private static final String PIPELINE = "pipeline";

  /** Jupiter resolves test method parameters before intercepting the method, so the pipeline exists by then. */
  @Override
  public void beforeEach(ExtensionContext context) {
    context.getStore(NAMESPACE).put(PIPELINE, newPipeline());
  }

  /**
   * A pipeline that always checks it was run and that nothing was abandoned, whatever runner the options name
   * (TestPipeline would otherwise relax this for its CrashingRunner).
   */
  static TestPipeline newPipeline() {
    return TestPipeline.create().enableAbandonedNodeEnforcement(true);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
    return parameterContext.getParameter().getType() == TestPipeline.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
    return pipelineOf(extensionContext);
  }

  @Override
  public void interceptTestMethod(
      Invocation<Void> invocation,
      ReflectiveInvocationContext<Method> invocationContext,
      ExtensionContext extensionContext)
      throws Throwable {
    evaluateUnderRule(pipelineOf(extensionContext), describe(invocationContext), invocation);
  }

  @Override
  public void interceptTestTemplateMethod(
      Invocation<Void> invocation,
      ReflectiveInvocationContext<Method> invocationContext,
      ExtensionContext extensionContext)
      throws Throwable {
    evaluateUnderRule(pipelineOf(extensionContext), describe(invocationContext), invocation);
  }

  /**
   * Runs {@code body} exactly as TestPipeline's JUnit 4 rule runs a test: the rule's statement evaluates the
   * body, then enforces that a pipeline with transforms was run and that none of its transforms (PAsserts
   * included) were left out of the run. An exception from the body propagates without the enforcement.
   */
  static void evaluateUnderRule(TestPipeline pipeline, Description description, Invocation<?> body)
      throws Throwable {
    Statement test =
        new Statement() {
          @Override
          public void evaluate() throws Throwable {
            body.proceed();
          }
        };
    pipeline.apply(test, description).evaluate();
  }

  private static Description describe(ReflectiveInvocationContext<Method> invocationContext) {
    Method method = invocationContext.getExecutable();
    Class<?> testClass = invocationContext.getTargetClass();
    return Description.createTestDescription(testClass, method.getName(), method.getAnnotations());
  }

  private static TestPipeline pipelineOf(ExtensionContext context) {
    TestPipeline pipeline = context.getStore(NAMESPACE).get(PIPELINE, TestPipeline.class);
    if (pipeline == null) {
      throw new ParameterResolutionException(
          "No TestPipeline for " + context.getDisplayName() + ": TestPipelineExtension creates one per test "
              + "method (@BeforeEach callback), not for @BeforeAll or class-level contexts");
    }
    return pipeline;
  }
}
