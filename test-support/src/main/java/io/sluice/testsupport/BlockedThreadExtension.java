package io.sluice.testsupport;

import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fails a test during which Vert.x's blocked-thread checker warned: {@code afterEach} for warnings recorded while
 * the test method (with its {@code @BeforeEach}/{@code @AfterEach}) ran, {@code afterAll} for the rest of the
 * class's run ({@code @BeforeAll}/{@code @AfterAll} fixtures). The failure names each blocked thread and its stack
 * head (see {@link BlockedThreadReport}).
 *
 * <p>Registered for every test of a module by JUnit's extension auto-detection: the module's
 * {@code src/test/resources/junit-platform.properties} holds
 * {@code junit.jupiter.extensions.autodetection.enabled=true}, and this jar's
 * {@code META-INF/services/org.junit.jupiter.api.extension.Extension} names this class. The module's
 * {@code logback-test.xml} must attach {@link BlockedThreadAppender}; the extension refuses to run without it
 * rather than pass silently.
 *
 * <p>{@code -D}{@value #FAIL_PROPERTY}{@code =false} turns failures into WARN log lines (default: fail).
 */
public final class BlockedThreadExtension
        implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, AfterAllCallback {

    /** System property: {@code false} logs blocked-thread warnings instead of failing the test (default true). */
    public static final String FAIL_PROPERTY = "sluice.test.failOnBlockedThread";

    private static final Logger LOG = LoggerFactory.getLogger(BlockedThreadExtension.class);
    private static final ExtensionContext.Namespace NS =
            ExtensionContext.Namespace.create(BlockedThreadExtension.class);
    private static final String MARK = "mark";

    private final BlockedThreadLog log;

    /** The auto-detected extension, reading {@link BlockedThreadLog#global()}. */
    public BlockedThreadExtension() {
        this(BlockedThreadLog.global());
    }

    BlockedThreadExtension(BlockedThreadLog log) {
        this.log = log;
    }

    /** Whether a blocked-thread warning fails the test ({@value #FAIL_PROPERTY}, default true). */
    public static boolean failOnBlockedThread() {
        return !"false"
                .equalsIgnoreCase(System.getProperty(FAIL_PROPERTY, "true").trim());
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        LoggerFactory
                .getILoggerFactory(); // logback reads logback-test.xml (and starts its appenders) here at the latest
        if (log == BlockedThreadLog.global() && !BlockedThreadAppender.attachedToGlobalLog()) {
            throw new ExtensionConfigurationException("no " + BlockedThreadAppender.class.getName()
                    + " is configured: attach it to the logger " + BlockedThreadWarning.CHECKER_LOGGER
                    + " in this module's logback-test.xml, or blocked threads go unnoticed");
        }
        context.getStore(NS).put(MARK, log.mark());
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(NS).put(MARK, log.mark());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        check(context, context.getRequiredTestClass().getSimpleName() + "#" + context.getDisplayName());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        check(context, context.getRequiredTestClass().getSimpleName() + " (class fixtures)");
    }

    /**
     * Reports the warnings recorded since the context's mark that no earlier check reported: throws an
     * {@link AssertionError} with the report when failing is on, logs it at WARN otherwise.
     */
    private void check(ExtensionContext context, String scope) {
        Integer mark = context.getStore(NS).get(MARK, Integer.class);
        List<BlockedThreadWarning> ws = log.unreportedSince(mark == null ? 0 : mark);
        if (ws.isEmpty()) {
            return;
        }
        log.markReported(ws);
        String report = BlockedThreadReport.describe(scope, ws);
        if (failOnBlockedThread()) {
            throw new AssertionError(report);
        }
        LOG.warn("{}", report);
    }
}
