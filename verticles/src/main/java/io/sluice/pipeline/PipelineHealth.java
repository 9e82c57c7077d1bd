package io.sluice.pipeline;

/**
 * Whether a pipeline is serving, for readiness: {@code ok} while it is starting or running; not ok after a
 * fatal consumer error (restarting, or stopped for good when {@code restart.policy} is {@code stop}) and
 * after it was stopped.
 *
 * @param detail one line naming the state and the cause, e.g.
 *               {@code "consumer failed: …; restart 3 in 4000 ms"}
 */
public record PipelineHealth(State state, String detail) {
    /** The life-cycle states a pipeline reports. */
    public enum State {
        STARTING,
        RUNNING,
        FAILED,
        STOPPED
    }

    public boolean ok() {
        return state == State.STARTING || state == State.RUNNING;
    }
}
