package io.rimedata.platform.error;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.util.List;

/** Jackson failures in the contract's terms: 400 {@code validation_error} naming the offending field. */
public final class JsonErrors {

    private JsonErrors() {
    }

    public static BadRequest toBadRequest(JsonProcessingException e) {
        if (e instanceof UnrecognizedPropertyException unknown) {
            return new BadRequest(BadRequest.DEFAULT_MESSAGE, List.of(new ErrorDetail(path(unknown), "Unknown field.")));
        }
        if (e instanceof InvalidFormatException format && format.getOriginalMessage() != null
                && format.getOriginalMessage().startsWith("Text must be")) {
            return new BadRequest(BadRequest.DEFAULT_MESSAGE, List.of(new ErrorDetail(path(format), format.getOriginalMessage())));
        }
        if (e instanceof MismatchedInputException mismatch) {
            String expected = mismatch.getTargetType() == null ? "a different type" : JsonPaths.describe(mismatch.getTargetType());
            String message = e instanceof InvalidFormatException ? "Invalid value; expected " + expected + "."
                    : "Expected " + expected + ".";
            return new BadRequest(BadRequest.DEFAULT_MESSAGE, List.of(new ErrorDetail(path(mismatch), message)));
        }
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            return new BadRequest(BadRequest.DEFAULT_MESSAGE, List.of(new ErrorDetail(path(mapping), "Invalid value.")));
        }
        return new BadRequest("The request body is not valid JSON.");
    }

    private static String path(JsonMappingException e) {
        String path = JsonPaths.of(e.getPath());
        return path.isEmpty() ? "$" : path;
    }
}
