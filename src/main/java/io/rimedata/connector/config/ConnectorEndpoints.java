package io.rimedata.connector.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The destinations a connector's configuration points at, per type: what the egress policy checks when a connector
 * is created or changed, whether this server or an external runner will connect. Types whose endpoint is fixed
 * (xero, google_sheets, github, azure_devops) and files (csv, json) have none.
 */
public final class ConnectorEndpoints {

    /** A host and port ({@code url} null), an http(s) URL, or a name a runner expands by DNS SRV ({@code srv}). */
    public record Endpoint(String field, String host, int port, String url, boolean srv) {

        static Endpoint host(String field, String host, int port) {
            return new Endpoint(field, host, port, null, false);
        }

        static Endpoint url(String field, String url) {
            return new Endpoint(field, null, 0, url, false);
        }
    }

    private ConnectorEndpoints() {
    }

    /** The endpoints of a validated config; {@code secrets} by path ({@code config.connection_string}). */
    public static List<Endpoint> of(String type, JsonNode config, Map<String, String> secrets) {
        List<Endpoint> out = new ArrayList<>();
        switch (type) {
            case "postgresql", "mysql", "mssql", "oracle" -> out.add(Endpoint.host("config.host", config.path("host").asText(),
                    config.path("port").asInt(defaultPort(type))));
            case "mongodb" -> mongo(secrets.get("config.connection_string"), out);
            case "salesforce", "jira" -> out.add(Endpoint.url("config.instance_url", config.path("instance_url").asText()));
            case "gitlab" -> out.add(Endpoint.url("config.base_url", config.path("base_url").asText("https://gitlab.com")));
            case "shopify" -> out.add(Endpoint.host("config.shop_domain", config.path("shop_domain").asText(), 443));
            case "rest_api" -> {
                out.add(Endpoint.url("config.base_url", config.path("base_url").asText()));
                JsonNode auth = config.path("auth");
                if ("oauth2_client_credentials".equals(auth.path("type").asText())) {
                    out.add(Endpoint.url("config.auth.token_url", auth.path("token_url").asText()));
                }
            }
            default -> {
            }
        }
        return out;
    }

    private static int defaultPort(String type) {
        return switch (type) {
            case "mysql" -> 3306;
            case "mssql" -> 1433;
            case "oracle" -> 1521;
            default -> 5432;
        };
    }

    /**
     * Hosts of a MongoDB connection string ({@code mongodb://u:p@h1:27017,h2/db?…}, {@code mongodb+srv://cluster.example}).
     * The string is a secret: only hosts leave this method. An unparsable string yields an endpoint that the policy
     * refuses as not a host.
     */
    static void mongo(String connection, List<Endpoint> out) {
        if (connection == null) {
            return;
        }
        String field = "config.connection_string";
        String lower = connection.strip().toLowerCase(Locale.ROOT);
        boolean srv = lower.startsWith("mongodb+srv://");
        if (!srv && !lower.startsWith("mongodb://")) {
            out.add(Endpoint.host(field, "(not a mongodb:// or mongodb+srv:// URL)", 27017));
            return;
        }
        String rest = connection.strip().substring(srv ? "mongodb+srv://".length() : "mongodb://".length());
        int end = indexOfAny(rest, "/?");
        String authority = end < 0 ? rest : rest.substring(0, end);
        int at = authority.lastIndexOf('@');
        String hosts = at < 0 ? authority : authority.substring(at + 1);
        for (String hostPort : hosts.split(",")) {
            String h = hostPort.strip();
            int port = 27017;
            int colon = h.lastIndexOf(':');
            if (colon > h.lastIndexOf(']') && (h.startsWith("[") || h.indexOf(':') == colon)) {
                try {
                    port = Integer.parseInt(h.substring(colon + 1));
                } catch (NumberFormatException e) {
                    port = -1;
                }
                h = h.substring(0, colon);
            }
            out.add(new Endpoint(field, h, port, null, srv));
        }
    }

    private static int indexOfAny(String s, String chars) {
        for (int i = 0; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }
}
