package io.sluice.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder.request;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * The extension's verdicts, by running small test classes on the JUnit Platform and reading their results:
 * a warning recorded during a test fails that test (and only it), one recorded in a class fixture fails the
 * class, and {@code -Dsluice.test.failOnBlockedThread=false} lets both pass.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class BlockedThreadExtensionTest {
    static final BlockedThreadWarning WARNING = new BlockedThreadWarning(
            "vert.x-eventloop-thread-3",
            2_345,
            2_000,
            List.of(
                    "java.net.InetAddress.getAllByName(InetAddress.java:1)",
                    "io.sluice.pipeline.Pipeline.start(Pipeline.java:99)"));

    @AfterEach
    void restoreProperty() {
        System.clearProperty(BlockedThreadExtension.FAIL_PROPERTY);
    }

    @Test
    void aWarningDuringATestFailsThatTestNamingTheThreadAndTheBlockingFrame() {
        TestExecutionSummary s = run(OneBlockingTest.class);

        assertThat(s.getTestsSucceededCount()).as("the test without a warning").isEqualTo(1);
        assertThat(s.getTestsFailedCount()).isEqualTo(1);
        Throwable failure = s.getFailures().get(0).getException();
        assertThat(failure)
                .isInstanceOf(AssertionError.class)
                .hasMessageContainingAll(
                        "warned during OneBlockingTest#blocks()",
                        "vert.x-eventloop-thread-3: blocked for up to 2345 ms, limit 2000 ms, 1 warning",
                        "at java.net.InetAddress.getAllByName",
                        "at io.sluice.pipeline.Pipeline.start(Pipeline.java:99)");
    }

    @Test
    void aWarningInAClassFixtureFailsTheClass() {
        TestExecutionSummary s = run(BlockingFixture.class);

        assertThat(s.getTestsSucceededCount()).isEqualTo(1);
        assertThat(s.getContainersFailedCount()).isEqualTo(1);
        assertThat(s.getFailures().get(0).getException())
                .hasMessageContaining("warned during BlockingFixture (class fixtures)");
    }

    @Test
    void withFailingSwitchedOffBothPass() {
        System.setProperty(BlockedThreadExtension.FAIL_PROPERTY, "false");

        assertThat(run(OneBlockingTest.class).getTotalFailureCount()).isZero();
        assertThat(run(BlockingFixture.class).getTotalFailureCount()).isZero();
    }

    private static volatile boolean running;

    private static TestExecutionSummary run(Class<?> testClass) {
        Launcher launcher = LauncherFactory.create();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        running = true;
        try {
            launcher.execute(request().selectors(selectClass(testClass)).build(), listener);
        } finally {
            running = false;
        }
        return listener.getSummary();
    }

    /** Whether {@link #run} is running the nested classes (a {@code -Dtest=} pattern may select them directly). */
    static boolean runByThisTest() {
        return running;
    }

    /** Run only through {@link #run}. */
    @EnabledIf("io.sluice.testsupport.BlockedThreadExtensionTest#runByThisTest")
    static class OneBlockingTest {
        static final BlockedThreadLog LOG = new BlockedThreadLog();

        @RegisterExtension
        static final BlockedThreadExtension EXTENSION = new BlockedThreadExtension(LOG);

        @Test
        void blocks() {
            LOG.record(WARNING.withStack(WARNING.stack())); // a new warning, as the appender records when Vert.x warns
        }

        @Test
        void doesNotBlock() {}
    }

    /** Run only through {@link #run}: a warning while the class's fixture starts. */
    @EnabledIf("io.sluice.testsupport.BlockedThreadExtensionTest#runByThisTest")
    static class BlockingFixture {
        static final BlockedThreadLog LOG = new BlockedThreadLog();

        @RegisterExtension
        static final BlockedThreadExtension EXTENSION = new BlockedThreadExtension(LOG);

        @BeforeAll
        static void startFixture() {
            LOG.record(WARNING.withStack(WARNING.stack()));
        }

        @Test
        void doesNotBlock() {}
    }
}
