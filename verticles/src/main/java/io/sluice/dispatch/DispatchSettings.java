package io.sluice.dispatch;

/**
 * What one pipeline's dispatch verticle needs: the pipeline's name (its addresses, logs and meters), the function,
 * retries, breaker, whether record values are checked for JSON, and the batch byte ceiling (named when one record
 * alone exceeds it).
 */
public record DispatchSettings(
        String name,
        LambdaSettings lambda,
        RetrySettings retry,
        BreakerSettings breaker,
        boolean validateJson,
        int batchMaxBytes) {}
