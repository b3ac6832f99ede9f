package io.rimedata.execution.step;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * How an attempt ended. {@code detached}: the work went to an external runner, whose report ends the step later
 * (the step keeps running, its lease held until the job's deadline).
 */
public record StepOutcome(boolean succeeded, String error, ObjectNode output, boolean detached, java.time.Instant holdUntil) {

    public static StepOutcome success(ObjectNode output) {
        return new StepOutcome(true, null, output, false, null);
    }

    public static StepOutcome failure(String error) {
        return new StepOutcome(false, error, null, false, null);
    }

    public static StepOutcome failure(String error, ObjectNode output) {
        return new StepOutcome(false, error, output, false, null);
    }

    public static StepOutcome detached(ObjectNode output, java.time.Instant holdUntil) {
        return new StepOutcome(false, null, output, true, holdUntil);
    }
}
