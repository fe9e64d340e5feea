package dev.tally.testing;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.runners.TransformHierarchy;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.InvocationInterceptor.Invocation;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.runner.Description;

@ExtendWith(TestPipelineExtension.class)
class TestPipelineExtensionTest {
  private static final Set<TestPipeline> PIPELINES_SEEN = Collections.newSetFromMap(new IdentityHashMap<>());

  private TestPipeline pipelineFromBeforeEach;

  @BeforeEach
  void rememberPipeline(TestPipeline pipeline) {
    pipelineFromBeforeEach = pipeline;
  }

  // --- Used through @ExtendWith, as the other tests use it. ---

  @Test
  void injectedPipelineRunsTransformsAndTheirPAsserts(TestPipeline pipeline) {
    PCollection<Integer> doubled =
        pipeline
            .apply(Create.of(1, 2, 3))
            .apply(MapElements.into(TypeDescriptors.integers()).via((Integer x) -> x * 2));
    PAssert.that(doubled).containsInAnyOrder(2, 4, 6);

    pipeline.run().waitUntilFinish();
  }

  @Test
  void aFailingPAssertFailsTheRun(TestPipeline pipeline) {
    PAssert.that(pipeline.apply(Create.of(1, 2, 3))).containsInAnyOrder(1, 2);

    AssertionError failure = assertThrows(AssertionError.class, pipeline::run);
    assertTrue(
        failure.getMessage().contains("Expected: iterable with items [<1>, <2>] in any order"), failure.getMessage());
  }

  @Test
  void beforeEachMethodsAndTheTestGetTheSamePipeline(TestPipeline pipeline) {
    assertSame(pipelineFromBeforeEach, pipeline);
  }

  @RepeatedTest(2)
  void everyTestGetsANewEmptyPipeline(TestPipeline pipeline) {
    assertTrue(PIPELINES_SEEN.add(pipeline), "pipeline reused from an earlier test");
    assertEquals(List.of(), transformNames(pipeline));
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 5})
  void parameterizedTestsGetThePipelineAfterTheirArguments(int size, TestPipeline pipeline) {
    List<Integer> values = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      values.add(i);
    }
    PAssert.that(pipeline.apply(Create.of(values))).containsInAnyOrder(values);

    pipeline.run();
  }

  // --- The rule's checks, applied by the same method the extension's interceptor calls. ---

  @Test
  void aPipelineWithTransformsThatIsNeverRunFailsTheTest() {
    TestPipeline pipeline = TestPipelineExtension.newPipeline();

    TestPipeline.PipelineRunMissingException missing =
        assertThrows(
            TestPipeline.PipelineRunMissingException.class,
            () ->
                evaluate(
                    pipeline,
                    () -> {
                      PAssert.that(pipeline.apply(Create.of(1))).containsInAnyOrder(1);
                      return null;
                    }));
    assertTrue(missing.getMessage().startsWith("The pipeline has not been run"), missing.getMessage());
  }

  @Test
  void aPAssertAddedAfterTheRunFailsTheTest() {
    TestPipeline pipeline = TestPipelineExtension.newPipeline();

    TestPipeline.AbandonedNodeException abandoned =
        assertThrows(
            TestPipeline.AbandonedNodeException.class,
            () ->
                evaluate(
                    pipeline,
                    () -> {
                      PCollection<Integer> numbers = pipeline.apply(Create.of(1, 2));
                      pipeline.run();
                      PAssert.that(numbers).containsInAnyOrder(1, 2);
                      return null;
                    }));
    assertEquals("The pipeline contains abandoned PAssert(s).", abandoned.getMessage());
  }

  @Test
  void aPipelineThatWasRunPassesTheChecks() {
    TestPipeline pipeline = TestPipelineExtension.newPipeline();

    assertDoesNotThrow(
        () ->
            evaluate(
                pipeline,
                () -> {
                  PAssert.that(pipeline.apply(Create.of("a"))).containsInAnyOrder("a");
                  pipeline.run();
                  return null;
                }));
  }

  @Test
  void anEmptyPipelineNeedNotBeRun() {
    TestPipeline pipeline = TestPipelineExtension.newPipeline();

    assertDoesNotThrow(() -> evaluate(pipeline, () -> null));
  }

  @Test
  void anExceptionFromTheTestBodyPropagatesUnchanged() {
    TestPipeline pipeline = TestPipelineExtension.newPipeline();
    IllegalStateException thrown = new IllegalStateException("from the test body");

    IllegalStateException propagated =
        assertThrows(
            IllegalStateException.class,
            () ->
                evaluate(
                    pipeline,
                    () -> {
                      pipeline.apply(Create.of(1));
                      throw thrown;
                    }));
    assertSame(thrown, propagated);
  }

  @Test
  void runningWithoutTheRuleIsRefusedByTestPipeline() {
    // What the extension exists for: a bare TestPipeline will not run outside its JUnit 4 rule.
    TestPipeline bare = TestPipeline.create();
    bare.apply(Create.of(1));

    IllegalStateException refused = assertThrows(IllegalStateException.class, bare::run);
    assertTrue(refused.getMessage().contains("@Rule"), refused.getMessage());
    assertFalse(transformNames(bare).isEmpty());
  }

  private void evaluate(TestPipeline pipeline, Invocation<Void> body) throws Throwable {
    TestPipelineExtension.evaluateUnderRule(
        pipeline, Description.createTestDescription(TestPipelineExtensionTest.class, "body"), body);
  }

  private static List<String> transformNames(Pipeline pipeline) {
    List<String> names = new ArrayList<>();
    pipeline.traverseTopologically(
        new Pipeline.PipelineVisitor.Defaults() {
          @Override
          public void visitPrimitiveTransform(TransformHierarchy.Node node) {
            names.add(node.getFullName());
          }
        });
    return names;
  }
}
