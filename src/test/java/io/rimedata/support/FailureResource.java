package io.rimedata.support;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** Test-only route (src/test is part of the test application) that fails the way a bug would. */
@Path("/test-support/failure")
@PermitAll
public class FailureResource {

    public static final String INTERNAL_DETAIL = "relation \"secret_table\" does not exist";

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public String fail() {
        throw new IllegalStateException(INTERNAL_DETAIL);
    }
}
