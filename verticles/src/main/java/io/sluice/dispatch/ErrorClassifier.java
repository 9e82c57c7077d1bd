package io.sluice.dispatch;

import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkServiceException;

/** Maps an invocation exception to a {@link FailureClass}. Pure logic. */
final class ErrorClassifier {
    private ErrorClassifier() {}

    public static FailureClass classify(Throwable t) {
        Throwable e = unwrap(t);
        if (e instanceof ApiCallTimeoutException
                || e instanceof ApiCallAttemptTimeoutException
                || e instanceof TimeoutException) {
            return FailureClass.TIMEOUT;
        }
        if (e instanceof SdkServiceException s) {
            int status = s.statusCode();
            if (status == 429 || s.isThrottlingException()) {
                return FailureClass.THROTTLED;
            }
            if (status == 413) {
                return FailureClass.TOO_LARGE;
            }
            if (status >= 500) {
                return FailureClass.SERVER_ERROR;
            }
            return FailureClass.CLIENT_ERROR;
        }
        if (e instanceof SdkClientException) {
            return FailureClass.NETWORK;
        }
        return FailureClass.NETWORK;
    }

    /** The innermost meaningful cause (CompletionException wrappers removed). */
    public static Throwable unwrap(Throwable t) {
        Throwable e = t;
        while ((e instanceof CompletionException || e instanceof java.util.concurrent.ExecutionException)
                && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    /** One line describing the error, for DLQ headers and logs. */
    public static String message(Throwable t) {
        Throwable e = unwrap(t);
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }
}
