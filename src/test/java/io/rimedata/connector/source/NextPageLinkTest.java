package io.rimedata.connector.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.rimedata.platform.error.Unprocessable;
import org.junit.jupiter.api.Test;

/** Next-page links are followed only on the base URL's origin, so a source's credentials never reach another host. */
class NextPageLinkTest {

    private static final String BASE = "https://api.example.com/v1";
    private static final String PAGE = "https://api.example.com/v1/items?page=1";

    @Test
    void linksOnTheSameOriginAreFollowedAndRelativeOnesResolved() {
        assertEquals("https://api.example.com/v1/items?page=2", RestApiDriver.sameOrigin(BASE, PAGE, "https://api.example.com/v1/items?page=2"));
        assertEquals("https://api.example.com/v1/items?page=3", RestApiDriver.sameOrigin(BASE, PAGE, "items?page=3"));
        assertEquals("https://api.example.com/other?page=4", RestApiDriver.sameOrigin(BASE, PAGE, "/other?page=4"));
        assertEquals("https://API.example.com:443/v1/x", RestApiDriver.sameOrigin(BASE, PAGE, "https://API.example.com:443/v1/x"));
        assertNull(RestApiDriver.sameOrigin(BASE, PAGE, null));
    }

    @Test
    void linksToAnotherHostPortOrSchemeAreRefused() {
        for (String link : new String[] { "https://169.254.169.254/latest/meta-data/", "http://api.example.com/v1/items",
                "https://api.example.com:8443/v1/items", "https://api.example.com.evil.test/v1", "//127.0.0.1/x",
                "https://api.example.com@127.0.0.1/", "http://[::1]/", "not a url with spaces" }) {
            assertThrows(Unprocessable.class, () -> RestApiDriver.sameOrigin(BASE, PAGE, link), link);
        }
    }
}
