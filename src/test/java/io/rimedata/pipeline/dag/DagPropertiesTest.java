package io.rimedata.pipeline.dag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rimedata.platform.error.ErrorDetail;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class DagPropertiesTest {

    /**
     * Random acyclic pipelines of {@code minSteps..maxSteps} steps keyed {@code s<definition
     * index>}: a random permutation fixes a flow order and each step only depends on up to four
     * steps before it in that order, so edges cannot close a cycle, yet definition order is
     * unrelated to flow order.
     */
    static Arbitrary<List<StepNode>> acyclicPipelines(int minSteps, int maxSteps) {
        return Arbitraries.integers().between(minSteps, maxSteps).flatMap(n -> Combinators.combine(
                        Arbitraries.shuffle(IntStream.range(0, n).boxed().toList()),
                        Arbitraries.integers().between(0, 1_000_000).list().ofMaxSize(4).list().ofSize(n))
                .as((flow, picks) -> {
                    List<List<String>> dependsOn = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) {
                        dependsOn.add(new ArrayList<>());
                    }
                    for (int position = 1; position < n; position++) {
                        Set<String> upstreams = new LinkedHashSet<>();
                        for (int pick : picks.get(position)) {
                            upstreams.add("s" + flow.get(pick % position));
                        }
                        dependsOn.get(flow.get(position)).addAll(upstreams);
                    }
                    List<StepNode> steps = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) {
                        steps.add(new StepNode("s" + i, dependsOn.get(i)));
                    }
                    return steps;
                }));
    }

    /**
     * The obviously correct, quadratic stable order: repeatedly place the earliest-defined step
     * whose upstreams are all placed.
     */
    static List<String> referenceOrder(List<StepNode> steps) {
        List<String> order = new ArrayList<>();
        Set<String> placed = new HashSet<>();
        while (order.size() < steps.size()) {
            StepNode next = null;
            for (StepNode step : steps) {
                if (!placed.contains(step.key()) && placed.containsAll(step.dependsOn())) {
                    next = step;
                    break;
                }
            }
            if (next == null) {
                throw new IllegalStateException("not acyclic");
            }
            placed.add(next.key());
            order.add(next.key());
        }
        return order;
    }

    @Provide
    Arbitrary<List<StepNode>> pipelines() {
        return acyclicPipelines(1, 60);
    }

    @Provide
    Arbitrary<List<StepNode>> pipelinesOfTwoOrMore() {
        return acyclicPipelines(2, 60);
    }

    @Property
    void acyclicPipelinesHaveNoProblemsAndSortLikeTheReference(@ForAll("pipelines") List<StepNode> steps) {
        assertEquals(List.of(), Dag.problems(steps));
        assertEquals(Optional.empty(), Dag.findCycle(steps));
        assertEquals(referenceOrder(steps), Dag.topologicalOrder(steps));
    }

    @Property
    void downstreamIsTheReverseOfDependsOn(@ForAll("pipelines") List<StepNode> steps) {
        Map<String, Set<String>> downstream = Dag.downstream(steps);

        assertEquals(steps.stream().map(StepNode::key).toList(), List.copyOf(downstream.keySet()));
        int edges = 0;
        for (StepNode step : steps) {
            for (String upstream : step.dependsOn()) {
                assertTrue(downstream.get(upstream).contains(step.key()));
                edges++;
            }
        }
        assertEquals(edges, downstream.values().stream().mapToInt(Set::size).sum());
    }

    @Property
    void aBackEdgeClosesACycleThatIsFoundAndReported(
            @ForAll("pipelinesOfTwoOrMore") List<StepNode> acyclic,
            @ForAll @IntRange(min = 0, max = 1_000_000) int fromPick,
            @ForAll @IntRange(min = 0, max = 1_000_000) int toPick) {
        Map<String, List<String>> dependents = new HashMap<>();
        for (StepNode step : acyclic) {
            for (String upstream : step.dependsOn()) {
                dependents.computeIfAbsent(upstream, k -> new ArrayList<>()).add(step.key());
            }
        }
        List<StepNode> withDependents = acyclic.stream().filter(s -> dependents.containsKey(s.key())).toList();
        Assume.that(!withDependents.isEmpty());
        StepNode from = withDependents.get(fromPick % withDependents.size());
        List<String> descendants = List.copyOf(descendants(from.key(), dependents));
        String to = descendants.get(toPick % descendants.size());

        // 'from' now also waits for one of the steps that wait for it
        List<StepNode> steps = new ArrayList<>(acyclic);
        List<String> closing = new ArrayList<>(from.dependsOn());
        closing.add(to);
        steps.set(steps.indexOf(from), new StepNode(from.key(), closing));

        Optional<List<String>> found = Dag.findCycle(steps);
        assertTrue(found.isPresent());
        List<String> cycle = found.get();
        Map<String, Integer> index = new HashMap<>();
        Map<String, StepNode> byKey = new HashMap<>();
        for (int i = 0; i < steps.size(); i++) {
            index.put(steps.get(i).key(), i);
            byKey.put(steps.get(i).key(), steps.get(i));
        }
        assertEquals(cycle.size(), new HashSet<>(cycle).size(), () -> "a key repeats in " + cycle);
        for (int i = 0; i < cycle.size(); i++) {
            String a = cycle.get(i);
            String b = cycle.get((i + 1) % cycle.size());
            assertTrue(byKey.get(b).dependsOn().contains(a), () -> b + " does not depend on " + a + " in " + cycle);
        }
        int first = index.get(cycle.get(0));
        assertTrue(cycle.stream().allMatch(key -> index.get(key) >= first), () -> cycle + " is not rotated");

        List<ErrorDetail> problems = Dag.problems(steps);
        assertFalse(problems.isEmpty());
        assertTrue(problems.stream().allMatch(p -> p.message().startsWith("Steps form a cycle: ")), problems::toString);
        assertTrue(problems.contains(new ErrorDetail("steps[" + first + "].depends_on",
                "Steps form a cycle: " + String.join(" → ", cycle) + " → " + cycle.get(0) + ".")), problems::toString);
        assertThrows(IllegalArgumentException.class, () -> Dag.topologicalOrder(steps));
    }

    /**
     * Arbitrary graphs over a handful of keys, so that repeated keys, missing and repeated upstreams,
     * self-dependencies and cycles all turn up.
     */
    @Provide
    Arbitrary<List<StepNode>> messyPipelines() {
        Arbitrary<String> keys = Arbitraries.of("a", "b", "c", "d", "e", "f", "g", "h");
        Arbitrary<StepNode> step = Combinators.combine(keys, keys.list().ofMaxSize(4)).as(StepNode::new);
        return step.list().ofMaxSize(10);
    }

    @Property
    void messyPipelinesAreReportedNotCrashedOn(@ForAll("messyPipelines") List<StepNode> steps) {
        List<ErrorDetail> problems = Dag.problems(steps);

        // the edges that survive the per-edge checks, from the first step with each key
        Map<String, Set<String>> valid = new HashMap<>();
        Set<String> keys = new HashSet<>();
        for (StepNode step : steps) {
            keys.add(step.key());
        }
        for (StepNode step : steps) {
            if (!valid.containsKey(step.key())) {
                Set<String> upstreams = new LinkedHashSet<>(step.dependsOn());
                upstreams.retainAll(keys);
                upstreams.remove(step.key());
                valid.put(step.key(), upstreams);
            }
        }
        boolean cyclic = hasCycle(valid);
        boolean edgeProblems = steps.stream().anyMatch(step -> step.dependsOn().size()
                != new HashSet<>(step.dependsOn()).size()
                || step.dependsOn().contains(step.key())
                || !keys.containsAll(step.dependsOn()));

        assertEquals(cyclic, problems.stream().anyMatch(p -> p.message().startsWith("Steps form a cycle: ")));
        assertEquals(cyclic, Dag.findCycle(steps).isPresent());
        assertEquals(cyclic || edgeProblems, !problems.isEmpty());
        assertTrue(problems.stream().allMatch(p -> p.field().matches("steps\\[\\d+]\\.depends_on(\\[\\d+])?")));
        List<Integer> stepOrder = problems.stream()
                .map(p -> Integer.parseInt(p.field().substring(6, p.field().indexOf(']'))))
                .toList();
        assertEquals(stepOrder.stream().sorted().toList(), stepOrder);
        if (problems.isEmpty()) {
            assertEquals(keys.size(), Dag.topologicalOrder(steps).size());
        } else {
            assertThrows(IllegalArgumentException.class, () -> Dag.topologicalOrder(steps));
        }
    }

    private static Set<String> descendants(String key, Map<String, List<String>> dependents) {
        Set<String> seen = new LinkedHashSet<>();
        List<String> work = new ArrayList<>(List.of(key));
        while (!work.isEmpty()) {
            for (String next : dependents.getOrDefault(work.removeLast(), List.of())) {
                if (seen.add(next)) {
                    work.add(next);
                }
            }
        }
        return seen;
    }

    /** Repeatedly removes steps with no remaining upstreams; whatever is left lies on or behind a cycle. */
    private static boolean hasCycle(Map<String, Set<String>> upstreams) {
        Set<String> left = new HashSet<>(upstreams.keySet());
        boolean removed = true;
        while (removed) {
            removed = left.removeIf(key -> upstreams.get(key).stream().noneMatch(left::contains));
        }
        return !left.isEmpty();
    }
}
