package io.rimedata.platform.error;

/** HTTP 413 {@code payload_too_large}. */
public class PayloadTooLarge extends ApiException {

    public PayloadTooLarge(String message) {
        super(message);
    }

    @Override
    public int status() {
        return 413;
    }

    @Override
    public String code() {
        return "payload_too_large";
    }
}
