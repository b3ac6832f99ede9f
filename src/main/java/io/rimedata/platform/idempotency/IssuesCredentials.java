package io.rimedata.platform.idempotency;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an operation whose response carries a credential (tokens, an API key, an invitation or runner token). The
 * idempotency layer ignores {@code Idempotency-Key} on it: a credential is never written to Redis, and never handed
 * to whoever repeats the key.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface IssuesCredentials {
}
