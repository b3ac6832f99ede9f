package io.rimedata.support;

import io.quarkus.test.common.QuarkusTestResource;

/** Global test resources (a {@code @QuarkusTestResource} on any class applies to all test classes). */
@QuarkusTestResource(LocalServices.class)
public final class TestResources {

    private TestResources() {
    }
}
