package io.sluice.embedded;

/** Test main for {@link ParentWatchdogTest}: prints its arguments, then sleeps (bounded). */
public final class SleepingMain {

    private SleepingMain() {}

    public static void main(String[] args) throws InterruptedException {
        System.out.println("ARGS=" + String.join(",", args));
        System.out.flush();
        Thread.sleep(60_000);
    }
}
