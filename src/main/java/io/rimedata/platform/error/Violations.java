package io.rimedata.platform.error;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/** Bean Validation results in the contract's terms: {@code details[]} with JSON field paths. */
public final class Violations {

    private Violations() {
    }

    public static List<ErrorDetail> details(Collection<? extends ConstraintViolation<?>> violations) {
        List<ErrorDetail> details = new ArrayList<>();
        for (ConstraintViolation<?> violation : violations) {
            details.add(new ErrorDetail(fieldOf(violation.getPropertyPath()), violation.getMessage()));
        }
        details.sort(Comparator.comparing(ErrorDetail::field).thenComparing(ErrorDetail::message));
        return details;
    }

    public static void throwIfAny(Collection<? extends ConstraintViolation<?>> violations) {
        if (!violations.isEmpty()) {
            throw new BadRequest(BadRequest.DEFAULT_MESSAGE, details(violations));
        }
    }

    static boolean isReturnValue(Path path) {
        for (Path.Node node : path) {
            if (node.getKind() == ElementKind.RETURN_VALUE) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@code create.body.settings.aws.region} → {@code settings.aws.region}, with Java names in snake_case. A node
     * inside a list or map carries the index or key of its container, so it is written before the node's own name
     * ({@code steps[2].key}).
     */
    static String fieldOf(Path path) {
        StringBuilder field = new StringBuilder();
        for (Path.Node node : path) {
            if (node.getKind() != ElementKind.PROPERTY && node.getKind() != ElementKind.CONTAINER_ELEMENT) {
                continue;
            }
            if (node.isInIterable() && field.length() > 0) {
                if (node.getIndex() != null) {
                    field.append('[').append(node.getIndex()).append(']');
                } else if (node.getKey() != null) {
                    field.append('.').append(node.getKey());
                }
            }
            if (node.getName() == null || node.getName().startsWith("<")) {
                continue;
            }
            if (field.length() > 0) {
                field.append('.');
            }
            field.append(JsonPaths.snake(node.getName()));
        }
        return field.length() == 0 ? "$" : field.toString();
    }
}
