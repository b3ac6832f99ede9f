package io.rimedata.platform.egress;

import io.smallrye.mutiny.Uni;
import java.net.InetAddress;
import java.util.List;

/** Looks a DNS name up, without blocking the event loop; every address it answers is checked. */
public interface EgressResolver {

    Uni<List<InetAddress>> resolve(String name);
}
