package io.rimedata.platform.http;

/**
 * Vert.x route orders of the request chain: after Quarkus' own early handlers (body, CORS), before every
 * application route (Quarkus REST, OpenAPI, Swagger UI sit at 10000 and above).
 */
final class FilterOrder {

    static final int REQUEST_ID = 100;
    static final int TRANSPORT = 200;
    static final int TENANCY = 300;

    private FilterOrder() {
    }
}
