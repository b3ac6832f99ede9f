package io.rimedata.support;

/** A tenant created for one test, with its admin's session. */
public record TestTenant(String subdomain, Session admin) {

    public record Session(String tenant, String accessToken, String refreshToken) {
    }
}
