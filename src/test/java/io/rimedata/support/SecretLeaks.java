package io.rimedata.support;

import io.restassured.filter.Filter;
import io.restassured.filter.FilterContext;
import io.restassured.response.Response;
import io.restassured.specification.FilterableRequestSpecification;
import io.restassured.specification.FilterableResponseSpecification;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Fails any request whose response body, or any line the server logged since the previous check, contains a secret
 * the tests sent (passwords, settings secrets, key material). Installed for every REST Assured call of the suite.
 */
public final class SecretLeaks implements Filter {

    private static final Path LOG = Path.of("target/quarkus-test.log");
    private static final Set<String> SECRETS = ConcurrentHashMap.newKeySet();
    private static long logOffset;

    static {
        SECRETS.addAll(List.of(Api.PASSWORD, "member-password-1", "brand-new-password", "a-fine-password",
                "long-enough-password", "sf-secret-value-1", "-----BEGIN PRIVATE KEY-----x",
                // the test secrets-at-rest key and cursor key, as configured
                "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=", "dGVzdC1jdXJzb3Ita2V5LW9ubHktZm9yLXRoZS10ZXN0LXN1aXRlIQ=="));
    }

    /** Registers another value that must never come back in a response or a log line. */
    public static String secret(String value) {
        SECRETS.add(value);
        return value;
    }

    @Override
    public Response filter(FilterableRequestSpecification request, FilterableResponseSpecification response,
            FilterContext context) {
        Response r = context.next(request, response);
        String body = r.asString();
        for (String secret : SECRETS) {
            if (body.contains(secret)) {
                throw new AssertionError("Response of " + request.getMethod() + " " + request.getURI()
                        + " contains a test secret");
            }
        }
        checkLog();
        return r;
    }

    /** Scans the log lines written since the last scan. */
    public static synchronized void checkLog() {
        if (!Files.exists(LOG)) {
            return;
        }
        try (RandomAccessFile file = new RandomAccessFile(LOG.toFile(), "r")) {
            if (file.length() < logOffset) {
                logOffset = 0; // a new test application truncated the file
            }
            file.seek(logOffset);
            byte[] fresh = new byte[(int) (file.length() - logOffset)];
            file.readFully(fresh);
            logOffset = file.length();
            String lines = new String(fresh, StandardCharsets.UTF_8);
            for (String secret : SECRETS) {
                if (lines.contains(secret)) {
                    throw new AssertionError("The server log contains a test secret");
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
