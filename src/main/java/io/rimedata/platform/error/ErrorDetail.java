package io.rimedata.platform.error;

/** One field-level problem: {@code field} is a JSON-path-like pointer such as {@code settings.aws.region}. */
public record ErrorDetail(String field, String message) {
}
