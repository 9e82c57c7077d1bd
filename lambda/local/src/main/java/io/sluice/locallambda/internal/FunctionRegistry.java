package io.sluice.locallambda.internal;

import io.sluice.locallambda.FaultInjection;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Hosted functions and their fault switchboards by name (faults exist before and across registrations). */
public final class FunctionRegistry {

    private final Map<String, FunctionHost> functions = new ConcurrentHashMap<>();
    private final Map<String, FaultInjection> faults = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> invocations = new ConcurrentHashMap<>();

    public FunctionHost get(String name) {
        return functions.get(name);
    }

    public FaultInjection faults(String name) {
        return faults.computeIfAbsent(name, n -> new FaultInjection());
    }

    /** Invocations that ran (past throttling and concurrency), per name, kept across registrations. */
    public AtomicLong invocations(String name) {
        return invocations.computeIfAbsent(name, n -> new AtomicLong());
    }

    public void put(FunctionHost host) {
        FunctionHost previous = functions.put(host.name(), host);
        if (previous != null) {
            previous.close();
        }
    }

    public boolean remove(String name) {
        FunctionHost previous = functions.remove(name);
        if (previous != null) {
            previous.close();
        }
        return previous != null;
    }

    public Set<String> names() {
        return new TreeSet<>(functions.keySet());
    }

    public void closeAll() {
        functions.values().forEach(FunctionHost::close);
        functions.clear();
    }
}
