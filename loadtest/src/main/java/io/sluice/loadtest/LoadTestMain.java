package io.sluice.loadtest;

/** Placeholder entry point of the load-test runner; scenarios arrive with the load-test issue. */
public final class LoadTestMain {
    private LoadTestMain() {
    }

    public static void main(String[] args) {
        System.err.println("sluice-loadtest: no scenarios implemented yet");
        System.exit(2);
    }
}
