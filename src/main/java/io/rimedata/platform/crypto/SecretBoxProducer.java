package io.rimedata.platform.crypto;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/** One {@link SecretBox} for every context that stores secrets. */
@ApplicationScoped
public class SecretBoxProducer {

    @Produces
    @ApplicationScoped
    SecretBox secretBox(CryptoConfig config) {
        return new SecretBox(config.activeKey(), SecretBox.parseKeys(config.keys()));
    }
}
