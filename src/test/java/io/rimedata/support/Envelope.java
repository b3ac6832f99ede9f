package io.rimedata.support;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;

/** Asserts the error envelope of §1.1 on a response. */
public final class Envelope {

    public static final String REQUEST_ID = "req_[0-9A-HJKMNP-TV-Z]{26}";

    private Envelope() {
    }

    public static ValidatableResponse assertError(Response response, int status, String code) {
        ValidatableResponse then = response.then()
                .statusCode(status)
                .contentType("application/json")
                .header("X-Request-Id", matchesPattern(REQUEST_ID))
                .body("error.code", equalTo(code))
                .body("error.request_id", matchesPattern(REQUEST_ID));
        assertEquals(response.header("X-Request-Id"), response.path("error.request_id"),
                "the body's request_id is the X-Request-Id header");
        return then;
    }
}
