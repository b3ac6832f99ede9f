package io.rimedata.connector.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every connector type declares where it connects, so that the egress policy sees each destination. */
class ConnectorEndpointsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<ConnectorEndpoints.Endpoint> of(String type, String config, Map<String, String> secrets) throws Exception {
        JsonNode node = JSON.readTree(config);
        return ConnectorEndpoints.of(type, node, secrets);
    }

    @Test
    void databaseTypesCheckTheirHostOnTheirDefaultPort() throws Exception {
        assertEquals(List.of(ConnectorEndpoints.Endpoint.host("config.host", "db.example.com", 5432)),
                of("postgresql", "{\"host\":\"db.example.com\",\"port\":5432}", Map.of()));
        assertEquals(3306, of("mysql", "{\"host\":\"h\"}", Map.of()).get(0).port());
        assertEquals(1433, of("mssql", "{\"host\":\"h\"}", Map.of()).get(0).port());
        assertEquals(1521, of("oracle", "{\"host\":\"h\"}", Map.of()).get(0).port());
        assertEquals(2345, of("oracle", "{\"host\":\"h\",\"port\":2345}", Map.of()).get(0).port());
    }

    @Test
    void urlTypesCheckTheirUrls() throws Exception {
        assertEquals("config.instance_url", of("salesforce", "{\"instance_url\":\"https://x.my.salesforce.com\"}", Map.of()).get(0).field());
        assertEquals("config.instance_url", of("jira", "{\"instance_url\":\"https://x.atlassian.net\"}", Map.of()).get(0).field());
        assertEquals("https://gitlab.com", of("gitlab", "{}", Map.of()).get(0).url());
        assertEquals("config.shop_domain", of("shopify", "{\"shop_domain\":\"s.myshopify.com\"}", Map.of()).get(0).field());
        List<ConnectorEndpoints.Endpoint> rest = of("rest_api", "{\"base_url\":\"https://api.example.com\",\"auth\":"
                + "{\"type\":\"oauth2_client_credentials\",\"token_url\":\"https://auth.example.com/token\"}}", Map.of());
        assertEquals(List.of("config.base_url", "config.auth.token_url"), rest.stream().map(ConnectorEndpoints.Endpoint::field).toList());
    }

    @Test
    void mongodbHostsComeFromTheConnectionStringWithoutItsCredentials() throws Exception {
        List<ConnectorEndpoints.Endpoint> hosts = of("mongodb", "{}", Map.of("config.connection_string",
                "mongodb://user:p%40ss@a.example.com:27018,[::1]:27019,b.example.com/db?replicaSet=rs0"));
        assertEquals(List.of("a.example.com", "[::1]", "b.example.com"), hosts.stream().map(ConnectorEndpoints.Endpoint::host).toList());
        assertEquals(List.of(27018, 27019, 27017), hosts.stream().map(ConnectorEndpoints.Endpoint::port).toList());
        hosts.forEach(h -> assertFalse(h.host().contains("p%40ss")));
        ConnectorEndpoints.Endpoint srv = of("mongodb", "{}", Map.of("config.connection_string",
                "mongodb+srv://u:pw@cluster0.example.net/db")).get(0);
        assertTrue(srv.srv());
        assertEquals("cluster0.example.net", srv.host());
    }

    @Test
    void everyTypeIsCoveredAndOnlyFixedOrLocalTypesHaveNoDestination() throws Exception {
        Set<String> fixed = Set.of("xero", "google_sheets", "github", "azure_devops", "csv", "json");
        assertEquals(16, ConnectorTypes.names().size());
        for (String type : ConnectorTypes.names()) {
            List<ConnectorEndpoints.Endpoint> found = of(type, "{\"host\":\"h\",\"instance_url\":\"https://h\","
                    + "\"base_url\":\"https://h\",\"shop_domain\":\"h\"}", Map.of("config.connection_string", "mongodb://h/db"));
            assertEquals(fixed.contains(type), found.isEmpty(), type);
        }
    }
}
