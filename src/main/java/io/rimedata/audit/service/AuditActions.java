package io.rimedata.audit.service;

/** The actions of §10 recorded so far; the list grows with the contexts that record them. */
public final class AuditActions {

    public static final String LOGIN_SUCCEEDED = "login.succeeded";
    public static final String LOGIN_FAILED = "login.failed";
    public static final String LOGOUT = "logout";
    public static final String SESSION_REVOKED = "session.revoked";
    public static final String RESOURCE_CREATED = "resource.created";
    public static final String RESOURCE_MODIFIED = "resource.modified";
    public static final String RESOURCE_DELETED = "resource.deleted";
    /** A connection a tenant configured was refused by the egress policy (outcome failure). */
    public static final String EGRESS_REFUSED = "egress.refused";

    private AuditActions() {
    }
}
