package io.rimedata.pipeline.dag;

import io.rimedata.platform.error.ErrorDetail;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Structural checks and orderings of a pipeline's step graph.
 *
 * <p>Every operation builds the graph once as index arrays and walks it without recursion, so a
 * call costs O(steps + edges) (the stable topological order adds a log factor for its ready
 * queue) and a long chain of steps cannot overflow the stack. An edge {@code a → b} means that
 * {@code b} depends on {@code a}, which is the direction data flows and the order steps run in.
 *
 * <p>Repeated step keys are reported by the pipeline validator, not here; so that they cannot make
 * these checks fail, the first step with a key is the step and later ones contribute no edges.
 */
public final class Dag {

    private static final String ARROW = " → ";

    private Dag() {
    }

    /**
     * Missing upstreams, self-dependencies, repeated upstreams and cycles, in step order. Cycles are
     * looked for among the remaining edges only, one detail for each group of steps that cycle
     * together, so a user fixing the reported cycles does not uncover new ones in the same group.
     */
    public static List<ErrorDetail> problems(List<StepNode> steps) {
        List<ErrorDetail> edgeProblems = new ArrayList<>();
        List<Integer> edgeProblemSteps = new ArrayList<>();
        Graph graph = Graph.build(steps, edgeProblems, edgeProblemSteps);
        List<int[]> cycles = graph.hasCycle() ? graph.cycles(true) : List.of();
        if (edgeProblems.isEmpty() && cycles.isEmpty()) {
            return List.of();
        }
        List<ErrorDetail> out = new ArrayList<>(edgeProblems.size() + cycles.size());
        int e = 0;
        for (int[] cycle : cycles) {
            int first = cycle[0];
            // a step's own edge problems come before the cycle reported at that step
            while (e < edgeProblems.size() && edgeProblemSteps.get(e) <= first) {
                out.add(edgeProblems.get(e++));
            }
            out.add(new ErrorDetail("steps[" + first + "].depends_on", cycleMessage(steps, cycle)));
        }
        while (e < edgeProblems.size()) {
            out.add(edgeProblems.get(e++));
        }
        return Collections.unmodifiableList(out);
    }

    /**
     * A cycle among the valid edges, if there is one: the keys in the order data flows around it,
     * starting at the key defined first, without repeating that key at the end. Of several cycles,
     * the one through the earliest-defined step that lies on any cycle is returned.
     */
    public static Optional<List<String>> findCycle(List<StepNode> steps) {
        Graph graph = Graph.build(steps, null, null);
        if (!graph.hasCycle()) {
            return Optional.empty();
        }
        int[] cycle = graph.cycles(false).get(0);
        List<String> keys = new ArrayList<>(cycle.length);
        for (int index : cycle) {
            keys.add(steps.get(index).key());
        }
        return Optional.of(Collections.unmodifiableList(keys));
    }

    /**
     * The keys in an order in which every step comes after its upstreams; of the steps that could
     * come next, the one defined first always does, so the order only changes when the pipeline
     * does.
     *
     * @throws IllegalArgumentException when {@link #problems} would report anything
     */
    public static List<String> topologicalOrder(List<StepNode> steps) {
        List<ErrorDetail> edgeProblems = new ArrayList<>();
        Graph graph = Graph.build(steps, edgeProblems, null);
        if (!edgeProblems.isEmpty()) {
            throw new IllegalArgumentException("The pipeline has structural problems: "
                    + edgeProblems.get(0).message());
        }
        if (graph.hasCycle()) {
            throw new IllegalArgumentException(cycleMessage(steps, graph.cycles(false).get(0)));
        }
        List<String> keys = new ArrayList<>(graph.n);
        for (int i = 0; i < graph.n; i++) {
            int index = graph.order[i];
            if (graph.primary[index]) {
                keys.add(steps.get(index).key());
            }
        }
        return Collections.unmodifiableList(keys);
    }

    /**
     * For every step key, in step order, the keys of the steps that list it in their
     * {@code depends_on}, in step order. Edges {@link #problems} reports (missing, self, repeated)
     * are left out.
     */
    public static Map<String, Set<String>> downstream(List<StepNode> steps) {
        Graph graph = Graph.build(steps, null, null);
        Map<String, Set<String>> out = new LinkedHashMap<>(Math.max(16, graph.n * 4 / 3 + 1));
        for (int u = 0; u < graph.n; u++) {
            if (!graph.primary[u]) {
                continue;
            }
            int from = graph.downStart[u];
            int to = graph.downStart[u + 1];
            Set<String> keys;
            if (from == to) {
                keys = Set.of();
            } else {
                LinkedHashSet<String> set = new LinkedHashSet<>(Math.max(4, (to - from) * 4 / 3 + 1));
                for (int e = from; e < to; e++) {
                    set.add(steps.get(graph.down[e]).key());
                }
                keys = Collections.unmodifiableSet(set);
            }
            out.put(steps.get(u).key(), keys);
        }
        return Collections.unmodifiableMap(out);
    }

    private static String cycleMessage(List<StepNode> steps, int[] cycle) {
        StringBuilder message = new StringBuilder("Steps form a cycle: ");
        for (int index : cycle) {
            message.append(steps.get(index).key()).append(ARROW);
        }
        return message.append(steps.get(cycle[0]).key()).append('.').toString();
    }

    /**
     * The step graph in compressed adjacency form: the upstreams of step {@code v} are
     * {@code up[upStart[v] .. upStart[v + 1])}, its dependents {@code down[downStart[v] ..
     * downStart[v + 1])}, both in step order. Nodes are list positions; a step whose key repeats an
     * earlier one is a node without edges.
     */
    private static final class Graph {

        final int n;
        final boolean[] primary;
        final int[] upStart;
        final int[] up;
        final int[] downStart;
        final int[] down;
        /** Kahn's order; only the first {@code placed} entries are meaningful. */
        final int[] order;
        final int placed;

        private Graph(int n, boolean[] primary, int[] upStart, int[] up) {
            this.n = n;
            this.primary = primary;
            this.upStart = upStart;
            this.up = up;
            this.downStart = new int[n + 1];
            int edges = upStart[n];
            for (int e = 0; e < edges; e++) {
                downStart[up[e] + 1]++;
            }
            for (int u = 0; u < n; u++) {
                downStart[u + 1] += downStart[u];
            }
            this.down = new int[edges];
            int[] fill = Arrays.copyOf(downStart, n);
            for (int v = 0; v < n; v++) {
                for (int e = upStart[v]; e < upStart[v + 1]; e++) {
                    down[fill[up[e]]++] = v;
                }
            }
            this.order = new int[n];
            this.placed = kahn();
        }

        /**
         * Resolves every {@code depends_on} entry once. Problems go to {@code problems} (with the
         * step index of each in {@code problemSteps}) when those are given.
         */
        static Graph build(List<StepNode> steps, List<ErrorDetail> problems, List<Integer> problemSteps) {
            int n = steps.size();
            Map<String, Integer> index = HashMap.newHashMap(n);
            boolean[] primary = new boolean[n];
            int totalDeps = 0;
            for (int i = 0; i < n; i++) {
                StepNode step = steps.get(i);
                primary[i] = index.putIfAbsent(step.key(), i) == null;
                totalDeps += step.dependsOn().size();
            }
            int[] upStart = new int[n + 1];
            int[] up = new int[totalDeps];
            int edges = 0;
            // seenBy[u] == i + 1 when step i has already listed u; spares a set per step
            int[] seenBy = new int[n];
            Set<String> missingSeen = null;
            for (int i = 0; i < n; i++) {
                StepNode step = steps.get(i);
                List<String> deps = step.dependsOn();
                if (missingSeen != null) {
                    missingSeen.clear();
                }
                for (int j = 0; j < deps.size(); j++) {
                    String dep = deps.get(j);
                    Integer resolved = index.get(dep);
                    String problem = null;
                    if (resolved == null) {
                        if (missingSeen == null) {
                            missingSeen = new HashSet<>();
                        }
                        problem = missingSeen.add(dep)
                                ? "Step '" + step.key() + "' depends on '" + dep
                                        + "', which is not a step of this pipeline."
                                : repeated(step.key(), dep);
                    } else if (seenBy[resolved] == i + 1) {
                        problem = repeated(step.key(), dep);
                    } else {
                        seenBy[resolved] = i + 1;
                        if (Objects.equals(dep, step.key())) {
                            problem = "Step '" + step.key() + "' depends on itself.";
                        } else if (primary[i]) {
                            up[edges++] = resolved;
                        }
                    }
                    if (problem != null && problems != null) {
                        problems.add(new ErrorDetail("steps[" + i + "].depends_on[" + j + "]", problem));
                        if (problemSteps != null) {
                            problemSteps.add(i);
                        }
                    }
                }
                upStart[i + 1] = edges;
            }
            return new Graph(n, primary, upStart, up);
        }

        private static String repeated(String key, String dep) {
            return "Step '" + key + "' lists '" + dep + "' more than once.";
        }

        boolean hasCycle() {
            return placed < n;
        }

        /** Stable Kahn: the ready step defined first goes next. Returns how many steps were placed. */
        private int kahn() {
            int[] waiting = new int[n];
            IntMinHeap ready = new IntMinHeap(n);
            for (int v = 0; v < n; v++) {
                waiting[v] = upStart[v + 1] - upStart[v];
                if (waiting[v] == 0) {
                    ready.push(v);
                }
            }
            int count = 0;
            while (!ready.isEmpty()) {
                int u = ready.pop();
                order[count++] = u;
                for (int e = downStart[u]; e < downStart[u + 1]; e++) {
                    int v = down[e];
                    if (--waiting[v] == 0) {
                        ready.push(v);
                    }
                }
            }
            return count;
        }

        /**
         * One cycle per strongly connected group of steps (iterative Tarjan over the steps Kahn
         * could not place), each the shortest one through the group's earliest-defined step and
         * starting there; ordered by that step. With {@code all} false, stops after the first.
         */
        List<int[]> cycles(boolean all) {
            boolean[] unplaced = new boolean[n];
            Arrays.fill(unplaced, true);
            for (int i = 0; i < placed; i++) {
                unplaced[order[i]] = false;
            }
            int[] visitOrder = new int[n];
            Arrays.fill(visitOrder, -1);
            int[] low = new int[n];
            int[] component = new int[n];
            int[] componentMin = new int[n];
            boolean[] onStack = new boolean[n];
            int[] stack = new int[n];
            int[] calls = new int[n];
            int[] nextEdge = new int[n];
            int sp = 0;
            int components = 0;
            int counter = 0;
            for (int root = 0; root < n; root++) {
                if (!unplaced[root] || visitOrder[root] != -1) {
                    continue;
                }
                int cp = 0;
                visitOrder[root] = low[root] = counter++;
                stack[sp++] = root;
                onStack[root] = true;
                calls[cp++] = root;
                nextEdge[root] = downStart[root];
                while (cp > 0) {
                    int v = calls[cp - 1];
                    if (nextEdge[v] < downStart[v + 1]) {
                        int w = down[nextEdge[v]++];
                        if (!unplaced[w]) {
                            continue;
                        }
                        if (visitOrder[w] == -1) {
                            visitOrder[w] = low[w] = counter++;
                            stack[sp++] = w;
                            onStack[w] = true;
                            calls[cp++] = w;
                            nextEdge[w] = downStart[w];
                        } else if (onStack[w]) {
                            low[v] = Math.min(low[v], visitOrder[w]);
                        }
                        continue;
                    }
                    cp--;
                    if (low[v] == visitOrder[v]) {
                        int min = Integer.MAX_VALUE;
                        int size = 0;
                        int w;
                        do {
                            w = stack[--sp];
                            onStack[w] = false;
                            component[w] = components;
                            min = Math.min(min, w);
                            size++;
                        } while (w != v);
                        componentMin[components++] = size > 1 ? min : -1;
                    }
                    if (cp > 0) {
                        int parent = calls[cp - 1];
                        low[parent] = Math.min(low[parent], low[v]);
                    }
                }
            }

            List<int[]> cycles = new ArrayList<>();
            int[] parent = new int[n];
            int[] queue = new int[n];
            boolean[] reached = new boolean[n];
            for (int s = 0; s < n; s++) {
                if (!unplaced[s] || componentMin[component[s]] != s) {
                    continue;
                }
                cycles.add(shortestCycleThrough(s, unplaced, component, parent, queue, reached));
                if (!all) {
                    break;
                }
            }
            return cycles;
        }

        /** Breadth-first along dependents within {@code s}'s component until an edge leads back to s. */
        private int[] shortestCycleThrough(
                int s, boolean[] unplaced, int[] component, int[] parent, int[] queue, boolean[] reached) {
            int head = 0;
            int tail = 0;
            queue[tail++] = s;
            reached[s] = true;
            while (head < tail) {
                int u = queue[head++];
                for (int e = downStart[u]; e < downStart[u + 1]; e++) {
                    int w = down[e];
                    if (!unplaced[w] || component[w] != component[s]) {
                        continue;
                    }
                    if (w == s) {
                        int length = 1;
                        for (int x = u; x != s; x = parent[x]) {
                            length++;
                        }
                        int[] cycle = new int[length];
                        int at = length - 1;
                        for (int x = u; x != s; x = parent[x]) {
                            cycle[at--] = x;
                        }
                        cycle[0] = s;
                        return cycle;
                    }
                    if (!reached[w]) {
                        reached[w] = true;
                        parent[w] = u;
                        queue[tail++] = w;
                    }
                }
            }
            throw new IllegalStateException("no cycle through step " + s + " in its own component");
        }
    }

    /** A fixed-capacity binary min-heap of step indices, so the ready queue does not box. */
    private static final class IntMinHeap {

        private final int[] heap;
        private int size;

        IntMinHeap(int capacity) {
            heap = new int[Math.max(1, capacity)];
        }

        boolean isEmpty() {
            return size == 0;
        }

        void push(int value) {
            int at = size++;
            while (at > 0) {
                int parent = (at - 1) >>> 1;
                if (heap[parent] <= value) {
                    break;
                }
                heap[at] = heap[parent];
                at = parent;
            }
            heap[at] = value;
        }

        int pop() {
            int top = heap[0];
            int last = heap[--size];
            int at = 0;
            while (true) {
                int child = 2 * at + 1;
                if (child >= size) {
                    break;
                }
                if (child + 1 < size && heap[child + 1] < heap[child]) {
                    child++;
                }
                if (heap[child] >= last) {
                    break;
                }
                heap[at] = heap[child];
                at = child;
            }
            heap[at] = last;
            return top;
        }
    }
}
