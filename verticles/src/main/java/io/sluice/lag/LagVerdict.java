package io.sluice.lag;

/**
 * A partition's status and the rule that decided it.
 *
 * @param status   the status
 * @param reason   a short human explanation (which rule matched)
 * @param samples  how many samples the window held
 */
public record LagVerdict(LagStatus status, String reason, int samples) {}
