package io.sluice.pipeline;

/**
 * Every record of {@code batch} is final: delivered to the function, or written to the DLQ.
 *
 * @param delivered   records the function accepted
 * @param deadLettered records written to the DLQ
 * @param invocations Lambda invocations it took (retries included)
 */
public record BatchOutcome(Batch batch, int delivered, int deadLettered, int invocations) {
}
