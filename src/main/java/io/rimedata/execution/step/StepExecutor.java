package io.rimedata.execution.step;

import io.smallrye.mutiny.Uni;
import java.util.Set;

/**
 * Runs one attempt of a step of some types. The orchestrator calls it outside any transaction, bounds it by the
 * step's timeout and cancels the returned {@link Uni} when the step is cancelled or its lease is lost, so an
 * executor must stop its work on cancellation.
 */
public interface StepExecutor {

    Set<String> types();

    Uni<StepOutcome> execute(StepTask task);
}
