package io.rimedata.platform.crypto;

import io.smallrye.config.ConfigMapping;

/** Keys that encrypt secrets at rest. */
@ConfigMapping(prefix = "rime.crypto")
public interface CryptoConfig {

    /** Id of the key new secrets are sealed with. */
    String activeKey();

    /** All keys still able to open secrets: {@code id:base64,id:base64} (32-byte keys). */
    String keys();
}
