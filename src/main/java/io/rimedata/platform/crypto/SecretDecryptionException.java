package io.rimedata.platform.crypto;

/**
 * A sealed value could not be opened; the message never carries plaintext, ciphertext or key material.
 */
public final class SecretDecryptionException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public SecretDecryptionException(String message) {
        super(message);
    }
}
