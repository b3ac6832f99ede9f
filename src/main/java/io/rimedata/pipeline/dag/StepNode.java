package io.rimedata.pipeline.dag;

import java.util.List;

/**
 * One step of a pipeline as the graph sees it: its key and the keys of the steps it waits for.
 * An absent {@code depends_on} means a root step, so {@code null} is read as an empty list.
 */
public record StepNode(String key, List<String> dependsOn) {

    public StepNode {
        dependsOn = dependsOn == null ? List.of() : List.copyOf(dependsOn);
    }
}
