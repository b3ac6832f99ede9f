package io.rimedata.platform.egress;

import io.rimedata.platform.error.ErrorDetail;
import io.rimedata.platform.error.Unprocessable;
import java.util.List;

/** A target the egress policy refuses: a 422 naming the field, or the reason of a failed check or run. */
public class EgressRefused extends Unprocessable {

    private final String field;
    private final String target;
    private final String reason;

    public EgressRefused(String field, String target, String reason) {
        super("The server does not connect to this destination.", List.of(new ErrorDetail(field, reason)));
        this.field = field;
        this.target = target;
        this.reason = reason;
    }

    public String field() {
        return field;
    }

    /** Host and port (never a path, query or credentials), for the audit log. */
    public String target() {
        return target;
    }

    /** Why, in a sentence that names the host and the address: for people. */
    public String reason() {
        return reason;
    }
}
