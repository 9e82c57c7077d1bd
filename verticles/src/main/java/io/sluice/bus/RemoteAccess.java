package io.sluice.bus;

import java.util.List;
import java.util.Set;

/**
 * Who may use Sluice's addresses from another JVM of the cluster: a plain decision, no I/O. Requests from this
 * JVM are always served; a request that came over the wire is served only when it names an allowed caller in the
 * {@value Addresses#CALLER_HEADER} header, and only while Sluice is not stopping.
 *
 * <p>Security limit: the caller id is declared by the sender, not proven. It keeps honest neighbours apart (a
 * mis-deployed service, a test cluster joining production); it does not stop a host that can join the cluster
 * and lies. The event bus does not tell the receiver which host sent a message, so hosts are restricted where
 * they can be: the member list and the security groups (see docs/vertx.md), and event-bus TLS.
 */
public final class RemoteAccess {
    /** The addresses a remote JVM may use; every other Sluice address is registered local-only. */
    public static final Set<String> REMOTE_ADDRESSES =
            Set.of(Addresses.PRODUCE, Addresses.PRODUCE_BATCH, Addresses.PRODUCER_RATE);

    /** Failure code of a refused caller (the HTTP ingest's 403). */
    public static final int FORBIDDEN = 403;

    private final Set<String> allowedCallers;

    public RemoteAccess(List<String> allowedCallers) {
        this.allowedCallers = Set.copyOf(allowedCallers);
    }

    /** The decision for one message. */
    public sealed interface Decision permits Serve, Refuse {}

    /** Pass it on to the handler. */
    public record Serve() implements Decision {}

    /** Fail it with {@code code} and {@code message} (the same classes as the producer's answers). */
    public record Refuse(int code, String message) implements Decision {}

    private static final Serve SERVE = new Serve();

    /**
     * @param address  the message's address
     * @param fromWire whether it came from another JVM
     * @param caller   the {@value Addresses#CALLER_HEADER} header, or null
     * @param stopping whether Sluice is stopping (remote intake closes first, as the HTTP ingest's)
     */
    public Decision decide(String address, boolean fromWire, String caller, boolean stopping) {
        if (!fromWire || !REMOTE_ADDRESSES.contains(address)) {
            return SERVE;
        }
        if (caller == null || !allowedCallers.contains(caller)) {
            return new Refuse(
                    FORBIDDEN,
                    "forbidden: caller "
                            + (caller == null ? "(no " + Addresses.CALLER_HEADER + " header)" : "'" + caller + "'")
                            + " is not in cluster.allowedCallers");
        }
        if (stopping) {
            return new Refuse(503, "stopping: Sluice is shutting down");
        }
        return SERVE;
    }
}
