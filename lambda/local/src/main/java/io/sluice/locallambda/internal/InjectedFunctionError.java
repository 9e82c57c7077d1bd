package io.sluice.locallambda.internal;

/** The error a function "throws" when the {@code errorRate} fault fires. */
public final class InjectedFunctionError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public InjectedFunctionError(String message) {
        super(message);
    }
}
