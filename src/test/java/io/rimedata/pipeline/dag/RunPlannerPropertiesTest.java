package io.rimedata.pipeline.dag;

import static io.rimedata.pipeline.dag.RunPlanner.StepStatus.FAILED;
import static io.rimedata.pipeline.dag.RunPlanner.StepStatus.PENDING;
import static io.rimedata.pipeline.dag.RunPlanner.StepStatus.RETRYING;
import static io.rimedata.pipeline.dag.RunPlanner.StepStatus.RUNNING;
import static io.rimedata.pipeline.dag.RunPlanner.StepStatus.SKIPPED;
import static io.rimedata.pipeline.dag.RunPlanner.StepStatus.SUCCEEDED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.rimedata.pipeline.dag.RunPlanner.Decision;
import io.rimedata.pipeline.dag.RunPlanner.RunOutcome;
import io.rimedata.pipeline.dag.RunPlanner.StepState;
import io.rimedata.pipeline.dag.RunPlanner.StepStatus;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Whole runs driven by the planner the way the orchestrator drives them: plan, apply the decision,
 * let one running step (chosen at random) finish with its predetermined outcome, and repeat.
 */
class RunPlannerPropertiesTest {

    /** A pipeline with each step's failure policy and whether it will succeed when it runs. */
    record Scenario(List<StepNode> steps, int maxParallel, List<Boolean> stopOnFailure, List<Boolean> succeeds,
            long seed) {

        int size() {
            return steps.size();
        }
    }

    /** What happened during a simulated run. */
    record Trace(List<String> started, Map<String, StepStatus> finalStatus, RunOutcome outcome) {
    }

    private static final int MAX_STEPS = 60;

    private static Arbitrary<Scenario> scenarios(Arbitrary<Boolean> stop, Arbitrary<Boolean> success) {
        Arbitrary<List<Boolean>> stopFlags = Arbitraries.oneOf(
                Arbitraries.just(Collections.nCopies(MAX_STEPS, true)),
                Arbitraries.just(Collections.nCopies(MAX_STEPS, false)),
                stop.list().ofSize(MAX_STEPS));
        return Combinators.combine(
                        DagPropertiesTest.acyclicPipelines(1, MAX_STEPS),
                        Arbitraries.integers().between(1, 8),
                        stopFlags,
                        success.list().ofSize(MAX_STEPS),
                        Arbitraries.longs())
                .as((steps, maxParallel, stops, succeeds, seed) -> new Scenario(steps, maxParallel,
                        stops.subList(0, steps.size()), succeeds.subList(0, steps.size()), seed));
    }

    /** Mostly successes, so that runs get deep before something fails. */
    private static Arbitrary<Boolean> mostlyTrue() {
        return Arbitraries.frequency(Tuple.of(5, true), Tuple.of(1, false));
    }

    @Provide
    Arbitrary<Scenario> anyRun() {
        return scenarios(Arbitraries.of(true, false), mostlyTrue());
    }

    @Provide
    Arbitrary<Scenario> successfulRun() {
        return scenarios(Arbitraries.of(true, false), Arbitraries.just(true));
    }

    @Provide
    Arbitrary<Scenario> continuingRun() {
        return scenarios(Arbitraries.just(false), mostlyTrue())
                .map(s -> new Scenario(s.steps(), s.maxParallel(), Collections.nCopies(s.size(), false),
                        s.succeeds(), s.seed()));
    }

    @Property
    void everyRunFollowsTheContract(@ForAll("anyRun") Scenario scenario) {
        Trace trace = simulate(scenario);

        boolean anyFailed = trace.finalStatus().containsValue(FAILED);
        assertEquals(anyFailed ? RunOutcome.FAILED : RunOutcome.SUCCEEDED, trace.outcome());
        for (int i = 0; i < scenario.size(); i++) {
            String key = scenario.steps().get(i).key();
            StepStatus status = trace.finalStatus().get(key);
            // every step either ran to its own outcome or never ran and was skipped
            if (trace.started().contains(key)) {
                assertEquals(scenario.succeeds().get(i) ? SUCCEEDED : FAILED, status, key);
            } else {
                assertEquals(SKIPPED, status, key);
            }
        }
    }

    @Property
    void whenEveryStepSucceedsEachRunsExactlyOnceAndTheRunSucceeds(@ForAll("successfulRun") Scenario scenario) {
        Trace trace = simulate(scenario);

        assertEquals(RunOutcome.SUCCEEDED, trace.outcome());
        assertEquals(scenario.size(), trace.started().size());
        assertEquals(Set.copyOf(scenario.steps().stream().map(StepNode::key).toList()), Set.copyOf(trace.started()));
        assertTrue(trace.finalStatus().values().stream().allMatch(s -> s == SUCCEEDED));
        if (scenario.maxParallel() == 1) {
            // one at a time, the earliest-defined ready step always goes next
            assertEquals(DagPropertiesTest.referenceOrder(scenario.steps()), trace.started());
        }
    }

    @Property
    void continuingRunsSkipExactlyWhatIsDownstreamOfAFailure(@ForAll("continuingRun") Scenario scenario) {
        Trace trace = simulate(scenario);

        Map<String, List<String>> dependents = new HashMap<>();
        for (StepNode step : scenario.steps()) {
            for (String upstream : step.dependsOn()) {
                dependents.computeIfAbsent(upstream, k -> new ArrayList<>()).add(step.key());
            }
        }
        Set<String> behindFailures = new HashSet<>();
        List<String> work = new ArrayList<>();
        trace.finalStatus().forEach((key, status) -> {
            if (status == FAILED) {
                work.add(key);
            }
        });
        while (!work.isEmpty()) {
            for (String next : dependents.getOrDefault(work.removeLast(), List.of())) {
                if (behindFailures.add(next)) {
                    work.add(next);
                }
            }
        }
        behindFailures.removeAll(trace.started());
        Set<String> skipped = new HashSet<>();
        trace.finalStatus().forEach((key, status) -> {
            if (status == SKIPPED) {
                skipped.add(key);
            }
        });

        assertEquals(behindFailures, skipped);
    }

    /**
     * Runs the scenario to its end, checking after every decision what must hold at every moment:
     * starts only behind succeeded upstreams, never more running steps than allowed, nothing new
     * after a stopping failure, no idle slot while a step is ready, and a decision that leaves
     * nothing more to decide.
     */
    private static Trace simulate(Scenario scenario) {
        List<StepNode> steps = scenario.steps();
        int n = steps.size();
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < n; i++) {
            index.put(steps.get(i).key(), i);
        }
        StepStatus[] status = new StepStatus[n];
        Arrays.fill(status, PENDING);
        int[] startedAt = new int[n];
        int[] finishedAt = new int[n];
        Arrays.fill(startedAt, -1);
        Arrays.fill(finishedAt, -1);
        int clock = 0;
        List<String> started = new ArrayList<>();
        boolean stopped = false;
        Random random = new Random(scenario.seed());
        RunOutcome outcome;

        // each round finishes one running step, so a run needs at most one round per step plus the last
        int maxRounds = n + 1;
        for (int round = 0; ; round++) {
            if (round > maxRounds) {
                fail("the run did not finish within " + maxRounds + " rounds");
            }
            Decision decision = RunPlanner.plan(states(scenario, status), scenario.maxParallel());

            Set<String> touched = new HashSet<>();
            for (String key : decision.start()) {
                int i = index.get(key);
                assertTrue(touched.add(key), () -> key + " appears twice in " + decision);
                assertEquals(PENDING, status[i], () -> key + " started from " + status[i]);
                for (String upstream : steps.get(i).dependsOn()) {
                    int u = index.get(upstream);
                    assertEquals(SUCCEEDED, status[u], () -> key + " started while " + upstream + " was " + status[u]);
                    assertTrue(finishedAt[u] >= 0 && finishedAt[u] < clock, () -> key + " started before " + upstream);
                }
            }
            for (String key : decision.skip()) {
                assertTrue(touched.add(key), () -> key + " appears twice in " + decision);
                assertEquals(PENDING, status[index.get(key)], () -> key + " skipped from a non-pending state");
            }
            for (String key : decision.fail()) {
                assertTrue(touched.add(key), () -> key + " appears twice in " + decision);
                assertEquals(RETRYING, status[index.get(key)], () -> key + " failed from a non-retrying state");
            }
            if (stopped) {
                assertEquals(List.of(), decision.start(), "a step started after a stopping failure");
            }

            for (String key : decision.start()) {
                int i = index.get(key);
                status[i] = RUNNING;
                startedAt[i] = clock++;
                started.add(key);
            }
            for (String key : decision.skip()) {
                status[index.get(key)] = SKIPPED;
            }
            for (String key : decision.fail()) {
                status[index.get(key)] = FAILED;
            }

            List<Integer> running = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (status[i] == RUNNING) {
                    running.add(i);
                }
            }
            assertTrue(running.size() <= scenario.maxParallel(),
                    () -> running.size() + " running with maxParallel " + scenario.maxParallel());
            if (!stopped && running.size() < scenario.maxParallel()) {
                for (int i = 0; i < n; i++) {
                    int step = i;
                    assertFalse(status[i] == PENDING && steps.get(i).dependsOn().stream()
                                    .allMatch(upstream -> status[index.get(upstream)] == SUCCEEDED),
                            () -> steps.get(step).key() + " is ready but was not started although a slot is free");
                }
            }
            Decision again = RunPlanner.plan(states(scenario, status), scenario.maxParallel());
            assertTrue(again.isEmpty(), () -> "applying " + decision + " left " + again);
            assertEquals(decision.finished(), again.finished());

            boolean allTerminal = Arrays.stream(status).allMatch(StepStatus::terminal);
            if (decision.finished() != null) {
                assertTrue(allTerminal, "finished with steps still to go");
                outcome = decision.finished();
                break;
            }
            assertFalse(allTerminal, "every step is terminal but the run is not finished");
            assertFalse(running.isEmpty(), "the run is stuck: nothing runs and nothing starts");

            int done = running.get(random.nextInt(running.size()));
            status[done] = scenario.succeeds().get(done) ? SUCCEEDED : FAILED;
            finishedAt[done] = clock++;
            stopped |= status[done] == FAILED && scenario.stopOnFailure().get(done);
        }

        for (int i = 0; i < n; i++) {
            // a step's upstreams all finished before it started
            for (String upstream : steps.get(i).dependsOn()) {
                int u = index.get(upstream);
                if (startedAt[i] >= 0) {
                    assertTrue(finishedAt[u] >= 0 && finishedAt[u] < startedAt[i]);
                }
            }
        }
        assertEquals(started.size(), Set.copyOf(started).size(), "a step started twice");
        Map<String, StepStatus> finalStatus = new HashMap<>();
        for (int i = 0; i < n; i++) {
            assertTrue(status[i].terminal(), steps.get(i).key() + " ended " + status[i]);
            finalStatus.put(steps.get(i).key(), status[i]);
        }
        return new Trace(List.copyOf(started), finalStatus, outcome);
    }

    private static List<StepState> states(Scenario scenario, StepStatus[] status) {
        List<StepState> states = new ArrayList<>(status.length);
        for (int i = 0; i < status.length; i++) {
            StepNode step = scenario.steps().get(i);
            states.add(new StepState(step.key(), step.dependsOn(), scenario.stopOnFailure().get(i), status[i]));
        }
        return states;
    }
}
