package io.rimedata.pipeline.dag;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Decides the next moves of a pipeline run from the state of all its steps. A pending step starts
 * once every one of its upstreams has succeeded, so root steps start at once and independent
 * branches run side by side, but never more than {@code maxParallel} steps are running afterwards
 * (retrying steps hold no slot); when more steps are ready than slots are free, the earliest-defined
 * ones start. A pending step with an upstream that failed, was skipped or was cancelled can never
 * run and is skipped, together with every pending step downstream of it, in the same decision. Once
 * a step that stops the run on failure has failed, nothing starts any more: every pending step is
 * skipped and every retrying step is failed, while running steps are left to finish; a failed step
 * that lets the run continue only takes its own downstream steps with it. The run is finished when,
 * with the decision applied, no step is pending, running or retrying; it succeeded only if every
 * step succeeded.
 */
public final class RunPlanner {

    private RunPlanner() {
    }

    /** Where a step of a run stands. */
    public enum StepStatus {
        PENDING, RUNNING, RETRYING, SUCCEEDED, FAILED, SKIPPED, CANCELLED;

        /** Whether the step will not change any more. */
        public boolean terminal() {
            return this == SUCCEEDED || this == FAILED || this == SKIPPED || this == CANCELLED;
        }

        /** The spelling used in the API and the database. */
        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** A pending step behind an upstream in this state can never run. */
        boolean blocksDownstream() {
            return this == FAILED || this == SKIPPED || this == CANCELLED;
        }
    }

    /** One step of the run as the planner needs it. */
    public record StepState(String key, List<String> dependsOn, boolean stopOnFailure, StepStatus status) {

        public StepState {
            Objects.requireNonNull(status, "status");
            dependsOn = dependsOn == null ? List.of() : List.copyOf(dependsOn);
        }
    }

    /** How a finished run ended. */
    public enum RunOutcome {
        SUCCEEDED, FAILED;

        /** The spelling used in the API and the database. */
        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * What to do now, each list in step order: {@code start} pending steps, {@code skip} pending
     * steps that can never run, {@code fail} retrying steps of a stopped run; {@code finished} is
     * the outcome of the run when, with this applied, every step is terminal, and null otherwise.
     */
    public record Decision(List<String> start, List<String> skip, List<String> fail, RunOutcome finished) {

        public Decision {
            start = List.copyOf(start);
            skip = List.copyOf(skip);
            fail = List.copyOf(fail);
        }

        /** Whether applying this decision would change nothing. */
        public boolean isEmpty() {
            return start.isEmpty() && skip.isEmpty() && fail.isEmpty();
        }
    }

    /**
     * The next decision for a run whose steps, in definition order and forming a valid graph, are
     * in the given states.
     *
     * @throws IllegalArgumentException when {@code maxParallel} is below one or a step depends on
     *     a key that is not a step of the run
     */
    public static Decision plan(List<StepState> steps, int maxParallel) {
        if (maxParallel < 1) {
            throw new IllegalArgumentException("maxParallel must be at least 1, was " + maxParallel);
        }
        int n = steps.size();
        boolean stopped = false;
        int running = 0;
        int retrying = 0;
        int pending = 0;
        boolean allSucceeded = true;
        for (int i = 0; i < n; i++) {
            StepState step = steps.get(i);
            switch (step.status()) {
                case PENDING -> pending++;
                case RUNNING -> running++;
                case RETRYING -> retrying++;
                case FAILED -> stopped |= step.stopOnFailure();
                default -> {
                }
            }
            allSucceeded &= step.status() == StepStatus.SUCCEEDED;
        }
        if (stopped) {
            return stop(steps, running);
        }
        if (pending == 0) {
            return new Decision(List.of(), List.of(), List.of(),
                    running == 0 && retrying == 0 ? outcome(allSucceeded) : null);
        }

        Map<String, Integer> index = HashMap.newHashMap(n);
        for (int i = 0; i < n; i++) {
            index.putIfAbsent(steps.get(i).key(), i);
        }
        // pending steps that can never run and whose dependents still have to be visited
        int[] blocked = new int[pending];
        int blockedCount = 0;
        List<String> start = new ArrayList<>(Math.min(pending, maxParallel));
        int slots = maxParallel - running;
        for (int i = 0; i < n; i++) {
            StepState step = steps.get(i);
            if (step.status() != StepStatus.PENDING) {
                continue;
            }
            boolean ready = true;
            boolean blocks = false;
            for (String upstream : step.dependsOn()) {
                StepStatus status = steps.get(resolve(index, step, upstream)).status();
                if (status.blocksDownstream()) {
                    blocks = true;
                    break;
                }
                ready &= status == StepStatus.SUCCEEDED;
            }
            if (blocks) {
                blocked[blockedCount++] = i;
            } else if (ready && slots > 0) {
                start.add(step.key());
                slots--;
            }
        }

        List<String> skip = List.of();
        if (blockedCount > 0) {
            boolean[] skipped = skipDownstream(steps, index, blocked, blockedCount);
            skip = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (skipped[i]) {
                    skip.add(steps.get(i).key());
                }
            }
        }

        boolean settled = start.isEmpty() && running == 0 && retrying == 0 && skip.size() == pending;
        // a run settled by skipping steps cannot have succeeded
        return new Decision(start, skip, List.of(), settled ? RunOutcome.FAILED : null);
    }

    private static Decision stop(List<StepState> steps, int running) {
        List<String> skip = new ArrayList<>();
        List<String> fail = new ArrayList<>();
        for (StepState step : steps) {
            if (step.status() == StepStatus.PENDING) {
                skip.add(step.key());
            } else if (step.status() == StepStatus.RETRYING) {
                fail.add(step.key());
            }
        }
        return new Decision(List.of(), skip, fail, running == 0 ? RunOutcome.FAILED : null);
    }

    /**
     * Marks the blocked steps and, transitively, every pending step downstream of them. The
     * dependents index is built only here, as most decisions skip nothing.
     */
    private static boolean[] skipDownstream(
            List<StepState> steps, Map<String, Integer> index, int[] blocked, int blockedCount) {
        int n = steps.size();
        int[] downStart = new int[n + 1];
        int edges = 0;
        for (int v = 0; v < n; v++) {
            StepState step = steps.get(v);
            for (String upstream : step.dependsOn()) {
                downStart[resolve(index, step, upstream) + 1]++;
                edges++;
            }
        }
        for (int u = 0; u < n; u++) {
            downStart[u + 1] += downStart[u];
        }
        int[] down = new int[edges];
        int[] fill = new int[n];
        System.arraycopy(downStart, 0, fill, 0, n);
        for (int v = 0; v < n; v++) {
            StepState step = steps.get(v);
            for (String upstream : step.dependsOn()) {
                down[fill[resolve(index, step, upstream)]++] = v;
            }
        }

        boolean[] skipped = new boolean[n];
        int[] work = new int[n];
        int top = 0;
        for (int b = 0; b < blockedCount; b++) {
            skipped[blocked[b]] = true;
            work[top++] = blocked[b];
        }
        while (top > 0) {
            int u = work[--top];
            for (int e = downStart[u]; e < downStart[u + 1]; e++) {
                int v = down[e];
                if (!skipped[v] && steps.get(v).status() == StepStatus.PENDING) {
                    skipped[v] = true;
                    work[top++] = v;
                }
            }
        }
        return skipped;
    }

    private static int resolve(Map<String, Integer> index, StepState step, String upstream) {
        Integer at = index.get(upstream);
        if (at == null) {
            throw new IllegalArgumentException(
                    "Step '" + step.key() + "' depends on '" + upstream + "', which is not a step of this run.");
        }
        return at;
    }

    private static RunOutcome outcome(boolean allSucceeded) {
        return allSucceeded ? RunOutcome.SUCCEEDED : RunOutcome.FAILED;
    }
}
