package io.rimedata.pipeline.dag;

import static io.rimedata.pipeline.dag.RunPlanner.StepStatus.CANCELLED;
import static io.rimedata.pipeline.dag.RunPlanner.StepStatus.FAILED;
import static io.rimedata.pipeline.dag.RunPlanner.StepStatus.PENDING;
import static io.rimedata.pipeline.dag.RunPlanner.StepStatus.RETRYING;
import static io.rimedata.pipeline.dag.RunPlanner.StepStatus.RUNNING;
import static io.rimedata.pipeline.dag.RunPlanner.StepStatus.SKIPPED;
import static io.rimedata.pipeline.dag.RunPlanner.StepStatus.SUCCEEDED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rimedata.pipeline.dag.RunPlanner.Decision;
import io.rimedata.pipeline.dag.RunPlanner.RunOutcome;
import io.rimedata.pipeline.dag.RunPlanner.StepState;
import io.rimedata.pipeline.dag.RunPlanner.StepStatus;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The example pipeline: {@code extract_a, extract_b → transform → validate → webhook}. */
class RunPlannerTest {

    private static final boolean STOP = true;
    private static final boolean CONTINUE = false;

    /** States of the example pipeline, in its definition order, all with the same failure policy. */
    private static List<StepState> example(boolean stopOnFailure, StepStatus extractA, StepStatus extractB,
            StepStatus transform, StepStatus validate, StepStatus webhook) {
        return List.of(
                new StepState("extract_a", List.of(), stopOnFailure, extractA),
                new StepState("extract_b", List.of(), stopOnFailure, extractB),
                new StepState("transform", List.of("extract_a", "extract_b"), stopOnFailure, transform),
                new StepState("validate", List.of("transform"), stopOnFailure, validate),
                new StepState("webhook", List.of("validate"), stopOnFailure, webhook));
    }

    private static Decision decision(List<String> start, List<String> skip, List<String> fail, RunOutcome finished) {
        return new Decision(start, skip, fail, finished);
    }

    @Test
    void rootStepsStartTogether() {
        assertEquals(decision(List.of("extract_a", "extract_b"), List.of(), List.of(), null),
                RunPlanner.plan(example(STOP, PENDING, PENDING, PENDING, PENDING, PENDING), 4));
    }

    @Test
    void aStepWaitsForAllItsUpstreams() {
        assertEquals(decision(List.of(), List.of(), List.of(), null),
                RunPlanner.plan(example(STOP, SUCCEEDED, RUNNING, PENDING, PENDING, PENDING), 4));
        assertEquals(decision(List.of("transform"), List.of(), List.of(), null),
                RunPlanner.plan(example(STOP, SUCCEEDED, SUCCEEDED, PENDING, PENDING, PENDING), 4));
    }

    @Test
    void maxParallelBoundsTheStartsInDefinitionOrder() {
        assertEquals(List.of("extract_a"),
                RunPlanner.plan(example(STOP, PENDING, PENDING, PENDING, PENDING, PENDING), 1).start());
        assertEquals(List.of(),
                RunPlanner.plan(example(STOP, RUNNING, PENDING, PENDING, PENDING, PENDING), 1).start());
        assertEquals(List.of("extract_b"),
                RunPlanner.plan(example(STOP, RUNNING, PENDING, PENDING, PENDING, PENDING), 2).start());
    }

    @Test
    void readyStepsStartInListOrderNotKeyOrder() {
        List<StepState> steps = List.of(
                new StepState("zeta", List.of(), STOP, PENDING),
                new StepState("alpha", List.of(), STOP, PENDING),
                new StepState("mid", List.of(), STOP, PENDING));

        assertEquals(List.of("zeta", "alpha"), RunPlanner.plan(steps, 2).start());
    }

    @Test
    void retryingStepsHoldNoSlot() {
        assertEquals(decision(List.of("extract_b"), List.of(), List.of(), null),
                RunPlanner.plan(example(STOP, RETRYING, PENDING, PENDING, PENDING, PENDING), 1));
    }

    @Test
    void aFailureThatStopsTheRunSkipsEverythingPendingAndLetsRunningStepsFinish() {
        assertEquals(decision(List.of(), List.of("extract_b", "transform", "validate", "webhook"), List.of(),
                        RunOutcome.FAILED),
                RunPlanner.plan(example(STOP, FAILED, PENDING, PENDING, PENDING, PENDING), 1));
        assertEquals(decision(List.of(), List.of("transform", "validate", "webhook"), List.of(), null),
                RunPlanner.plan(example(STOP, FAILED, RUNNING, PENDING, PENDING, PENDING), 4));
        assertEquals(decision(List.of(), List.of(), List.of(), RunOutcome.FAILED),
                RunPlanner.plan(example(STOP, FAILED, SUCCEEDED, SKIPPED, SKIPPED, SKIPPED), 4));
    }

    @Test
    void aFailureThatContinuesOnlySkipsItsOwnDownstream() {
        assertEquals(decision(List.of("extract_b"), List.of("transform", "validate", "webhook"), List.of(), null),
                RunPlanner.plan(example(CONTINUE, FAILED, PENDING, PENDING, PENDING, PENDING), 1));
    }

    @Test
    void continuingOnFailureStillSkipsTheFailedBranchAndFailsTheRun() {
        List<StepState> steps = List.of(
                new StepState("left", List.of(), CONTINUE, FAILED),
                new StepState("right", List.of(), CONTINUE, SUCCEEDED),
                new StepState("left_load", List.of("left"), CONTINUE, PENDING),
                new StepState("right_load", List.of("right"), CONTINUE, PENDING));

        assertEquals(decision(List.of("right_load"), List.of("left_load"), List.of(), null),
                RunPlanner.plan(steps, 4));
    }

    @Test
    void aStepDownstreamOfASkippedStepIsSkippedInTheSameDecision() {
        assertEquals(decision(List.of(), List.of("validate", "webhook"), List.of(), RunOutcome.FAILED),
                RunPlanner.plan(example(CONTINUE, SUCCEEDED, SUCCEEDED, SKIPPED, PENDING, PENDING), 4));
        assertEquals(decision(List.of(), List.of("validate", "webhook"), List.of(), RunOutcome.FAILED),
                RunPlanner.plan(example(CONTINUE, SUCCEEDED, SUCCEEDED, FAILED, PENDING, PENDING), 4));
        assertEquals(decision(List.of(), List.of("transform", "validate", "webhook"), List.of(), null),
                RunPlanner.plan(example(CONTINUE, CANCELLED, RUNNING, PENDING, PENDING, PENDING), 4));
    }

    @Test
    void skipsPropagateEvenWhenDependentsAreDefinedBeforeTheirUpstreams() {
        List<StepState> steps = List.of(
                new StepState("webhook", List.of("validate"), CONTINUE, PENDING),
                new StepState("validate", List.of("transform"), CONTINUE, PENDING),
                new StepState("transform", List.of("extract"), CONTINUE, PENDING),
                new StepState("extract", List.of(), CONTINUE, FAILED));

        assertEquals(decision(List.of(), List.of("webhook", "validate", "transform"), List.of(), RunOutcome.FAILED),
                RunPlanner.plan(steps, 4));
    }

    @Test
    void retryingStepsAreFailedWhenTheRunStops() {
        assertEquals(decision(List.of(), List.of("transform", "validate", "webhook"), List.of("extract_b"),
                        RunOutcome.FAILED),
                RunPlanner.plan(example(STOP, FAILED, RETRYING, PENDING, PENDING, PENDING), 4));
    }

    @Test
    void retryingStepsAreLeftAloneWhileTheRunGoesOn() {
        assertEquals(decision(List.of(), List.of(), List.of(), null),
                RunPlanner.plan(example(STOP, SUCCEEDED, RETRYING, PENDING, PENDING, PENDING), 4));
        assertEquals(decision(List.of(), List.of("transform", "validate", "webhook"), List.of(), null),
                RunPlanner.plan(example(CONTINUE, FAILED, RETRYING, PENDING, PENDING, PENDING), 4));
    }

    @Test
    void theRunSucceedsOnlyWhenEveryStepSucceeded() {
        assertEquals(decision(List.of("webhook"), List.of(), List.of(), null),
                RunPlanner.plan(example(STOP, SUCCEEDED, SUCCEEDED, SUCCEEDED, SUCCEEDED, PENDING), 4));
        assertEquals(decision(List.of(), List.of(), List.of(), null),
                RunPlanner.plan(example(STOP, SUCCEEDED, SUCCEEDED, SUCCEEDED, SUCCEEDED, RUNNING), 4));
        assertEquals(decision(List.of(), List.of(), List.of(), RunOutcome.SUCCEEDED),
                RunPlanner.plan(example(STOP, SUCCEEDED, SUCCEEDED, SUCCEEDED, SUCCEEDED, SUCCEEDED), 4));
        assertEquals(decision(List.of(), List.of(), List.of(), RunOutcome.FAILED),
                RunPlanner.plan(example(CONTINUE, SUCCEEDED, SUCCEEDED, SUCCEEDED, SUCCEEDED, FAILED), 4));
        assertEquals(decision(List.of(), List.of(), List.of(), RunOutcome.FAILED),
                RunPlanner.plan(example(STOP, SUCCEEDED, SUCCEEDED, SUCCEEDED, SUCCEEDED, CANCELLED), 4));
        assertEquals(decision(List.of(), List.of(), List.of(), RunOutcome.SUCCEEDED), RunPlanner.plan(List.of(), 4));
    }

    @Test
    void aRunWithNothingLeftButAStepThatMayRetryIsNotFinished() {
        assertEquals(decision(List.of(), List.of(), List.of(), null),
                RunPlanner.plan(example(CONTINUE, SUCCEEDED, SUCCEEDED, SUCCEEDED, SUCCEEDED, RETRYING), 4));
    }

    @Test
    void moreRunningStepsThanSlotsStartNothing() {
        List<StepState> steps = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            steps.add(new StepState("busy_" + i, List.of(), STOP, RUNNING));
        }
        steps.add(new StepState("waiting", List.of(), STOP, PENDING));

        assertEquals(List.of(), RunPlanner.plan(steps, 2).start());
    }

    @Test
    void rejectsANonPositiveParallelismAndUnknownUpstreams() {
        assertThrows(IllegalArgumentException.class,
                () -> RunPlanner.plan(example(STOP, PENDING, PENDING, PENDING, PENDING, PENDING), 0));
        assertThrows(IllegalArgumentException.class, () -> RunPlanner.plan(
                List.of(new StepState("a", List.of("ghost"), STOP, PENDING)), 1));
    }

    @Test
    void statusesKnowWhetherTheyAreTerminalAndHowTheyAreSpelled() {
        assertFalse(PENDING.terminal());
        assertFalse(RUNNING.terminal());
        assertFalse(RETRYING.terminal());
        assertTrue(SUCCEEDED.terminal());
        assertTrue(FAILED.terminal());
        assertTrue(SKIPPED.terminal());
        assertTrue(CANCELLED.terminal());
        assertEquals("retrying", RETRYING.wire());
        assertEquals("cancelled", CANCELLED.wire());
        assertEquals("succeeded", RunOutcome.SUCCEEDED.wire());
    }
}
