package io.rimedata.pipeline.dag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rimedata.platform.error.ErrorDetail;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DagTest {

    private static StepNode step(String key, String... dependsOn) {
        return new StepNode(key, List.of(dependsOn));
    }

    @Test
    void aNullDependsOnMeansARootStep() {
        assertEquals(List.of(), new StepNode("a", null).dependsOn());
    }

    @Test
    void aValidPipelineHasNoProblems() {
        List<StepNode> steps = List.of(step("extract"), step("transform", "extract"), step("load", "transform"));

        assertEquals(List.of(), Dag.problems(steps));
        assertEquals(Optional.empty(), Dag.findCycle(steps));
        assertEquals(List.of(), Dag.problems(List.of()));
        assertEquals(List.of(), Dag.topologicalOrder(List.of()));
    }

    @Test
    void reportsAMissingUpstream() {
        List<StepNode> steps = List.of(step("a"), step("b", "a", "ghost"));

        assertEquals(List.of(new ErrorDetail("steps[1].depends_on[1]",
                        "Step 'b' depends on 'ghost', which is not a step of this pipeline.")),
                Dag.problems(steps));
    }

    @Test
    void reportsASelfDependency() {
        List<StepNode> steps = List.of(step("a"), step("b", "b"));

        assertEquals(List.of(new ErrorDetail("steps[1].depends_on[0]", "Step 'b' depends on itself.")),
                Dag.problems(steps));
        assertEquals(Optional.empty(), Dag.findCycle(steps));
    }

    @Test
    void reportsTheRepeatOfAnUpstreamListedTwice() {
        List<StepNode> steps = List.of(step("a"), step("c"), step("b", "a", "c", "a"));

        assertEquals(List.of(new ErrorDetail("steps[2].depends_on[2]", "Step 'b' lists 'a' more than once.")),
                Dag.problems(steps));
    }

    @Test
    void aMissingUpstreamListedTwiceIsMissingOnceAndRepeatedOnce() {
        List<StepNode> steps = List.of(step("b", "ghost", "ghost"));

        assertEquals(List.of(
                        new ErrorDetail("steps[0].depends_on[0]",
                                "Step 'b' depends on 'ghost', which is not a step of this pipeline."),
                        new ErrorDetail("steps[0].depends_on[1]", "Step 'b' lists 'ghost' more than once.")),
                Dag.problems(steps));
    }

    @Test
    void reportsAThreeCycleInFlowOrderFromItsEarliestDefinedStep() {
        // the cycle is entered from 'start' through 'c', yet is reported from 'a', defined before 'c'
        List<StepNode> steps = List.of(
                step("start"),
                step("a", "c"),
                step("c", "b", "start"),
                step("b", "a"),
                step("end", "c"));

        assertEquals(List.of(new ErrorDetail("steps[1].depends_on", "Steps form a cycle: a → b → c → a.")),
                Dag.problems(steps));
        assertEquals(Optional.of(List.of("a", "b", "c")), Dag.findCycle(steps));
    }

    @Test
    void rotationFollowsDefinitionOrderNotKeys() {
        List<StepNode> steps = List.of(step("c", "b"), step("a", "c"), step("b", "a"));

        assertEquals(List.of(new ErrorDetail("steps[0].depends_on", "Steps form a cycle: c → a → b → c.")),
                Dag.problems(steps));
        assertEquals(Optional.of(List.of("c", "a", "b")), Dag.findCycle(steps));
    }

    @Test
    void reportsEachSeparateCycleInStepOrderAmongTheEdgeProblems() {
        List<StepNode> steps = List.of(
                step("x", "y", "ghost"),
                step("y", "x"),
                step("p", "q"),
                step("q", "p", "q"));

        assertEquals(List.of(
                        new ErrorDetail("steps[0].depends_on[1]",
                                "Step 'x' depends on 'ghost', which is not a step of this pipeline."),
                        new ErrorDetail("steps[0].depends_on", "Steps form a cycle: x → y → x."),
                        new ErrorDetail("steps[2].depends_on", "Steps form a cycle: p → q → p."),
                        new ErrorDetail("steps[3].depends_on[1]", "Step 'q' depends on itself.")),
                Dag.problems(steps));
        assertEquals(Optional.of(List.of("x", "y")), Dag.findCycle(steps));
    }

    @Test
    void repeatedStepKeysDoNotBreakTheChecks() {
        // the second 'a' is not the step 'a', so its edge closes no cycle
        List<StepNode> steps = List.of(step("a"), step("b", "a"), step("a", "b"));

        assertEquals(List.of(), Dag.problems(steps));
        assertEquals(Optional.empty(), Dag.findCycle(steps));
        assertEquals(List.of("a", "b"), Dag.topologicalOrder(steps));
        assertEquals(Map.of("a", Set.of("b"), "b", Set.of()), Dag.downstream(steps));
    }

    @Test
    void aThousandStepChainValidatesAndSortsWithoutRecursion() {
        int n = 1000;
        List<StepNode> forward = new ArrayList<>(n);
        List<StepNode> backward = new ArrayList<>(n);
        List<String> keys = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            keys.add("s" + i);
            forward.add(i == 0 ? step("s0") : step("s" + i, "s" + (i - 1)));
            backward.add(i == n - 1 ? step("s" + i) : step("s" + i, "s" + (i + 1)));
        }

        assertEquals(List.of(), Dag.problems(forward));
        assertEquals(keys, Dag.topologicalOrder(forward));
        assertEquals(List.of(), Dag.problems(backward));
        assertEquals(keys.reversed(), Dag.topologicalOrder(backward));
    }

    @Test
    void aThousandStepCycleIsFoundWithoutRecursion() {
        int n = 1000;
        List<StepNode> steps = new ArrayList<>(n);
        List<String> flow = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            steps.add(step("s" + i, "s" + ((i + 1) % n)));
            flow.add("s" + ((n - i) % n));
        }

        assertEquals(Optional.of(flow), Dag.findCycle(steps));
        List<ErrorDetail> problems = Dag.problems(steps);
        assertEquals(1, problems.size());
        assertEquals("steps[0].depends_on", problems.get(0).field());
        assertTrue(problems.get(0).message().startsWith("Steps form a cycle: s0 → s999 → s998 → "));
        assertTrue(problems.get(0).message().endsWith(" → s2 → s1 → s0."));
    }

    @Test
    void topologicalOrderOfADiamondFollowsDefinitionOrderAmongReadySteps() {
        List<StepNode> steps = List.of(step("d", "b", "c"), step("c", "a"), step("b", "a"), step("a"));

        assertEquals(List.of("a", "c", "b", "d"), Dag.topologicalOrder(steps));
        assertEquals(List.of("a", "c", "b", "d"), Dag.topologicalOrder(steps));
    }

    @Test
    void topologicalOrderRefusesAPipelineWithProblems() {
        assertThrows(IllegalArgumentException.class,
                () -> Dag.topologicalOrder(List.of(step("a", "b"), step("b", "a"))));
        assertThrows(IllegalArgumentException.class,
                () -> Dag.topologicalOrder(List.of(step("a", "ghost"))));
        assertThrows(IllegalArgumentException.class,
                () -> Dag.topologicalOrder(List.of(step("a", "a"))));
    }

    @Test
    void downstreamListsDirectDependentsOfEveryStep() {
        List<StepNode> steps = List.of(step("d", "b", "c"), step("c", "a"), step("b", "a"), step("a"));

        Map<String, Set<String>> downstream = Dag.downstream(steps);

        assertEquals(Map.of("d", Set.of(), "c", Set.of("d"), "b", Set.of("d"), "a", Set.of("c", "b")), downstream);
        assertEquals(List.of("d", "c", "b", "a"), List.copyOf(downstream.keySet()));
        assertEquals(List.of("c", "b"), List.copyOf(downstream.get("a")));
    }
}
