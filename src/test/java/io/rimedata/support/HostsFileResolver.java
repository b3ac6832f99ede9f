package io.rimedata.support;

import io.rimedata.platform.egress.EgressResolver;
import io.rimedata.platform.egress.SystemResolver;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The test suite's resolver: names of the machine's hosts file go through the production resolver, every other
 * name fails at once as unknown, so that connectors with made-up hosts never cause a DNS query off this machine.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class HostsFileResolver implements EgressResolver {

    private final SystemResolver system;
    private final Set<String> known = new HashSet<>();

    HostsFileResolver(SystemResolver system) {
        this.system = system;
        try {
            for (String line : Files.readAllLines(Path.of("/etc/hosts"))) {
                String content = line.contains("#") ? line.substring(0, line.indexOf('#')) : line;
                String[] fields = content.trim().split("\\s+");
                for (int i = 1; i < fields.length; i++) {
                    known.add(fields[i].toLowerCase(Locale.ROOT));
                }
            }
        } catch (IOException e) {
            // no hosts file: every name is unknown
        }
    }

    @Override
    public Uni<List<InetAddress>> resolve(String name) {
        return known.contains(name) ? system.resolve(name)
                : Uni.createFrom().failure(new UnknownHostException(name + " (not in the hosts file; tests never query DNS)"));
    }
}
