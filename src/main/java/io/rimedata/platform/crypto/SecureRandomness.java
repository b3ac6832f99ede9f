package io.rimedata.platform.crypto;

import java.security.SecureRandom;

/** The process's one {@link SecureRandom}, for ids, tokens and IVs. */
public final class SecureRandomness {

    private SecureRandomness() {
    }

    // a holder class initialised on first use, so a native image never bakes a seeded generator into its heap
    private static final class Holder {
        static final SecureRandom RANDOM = new SecureRandom();
    }

    public static SecureRandom get() {
        return Holder.RANDOM;
    }
}
