package io.sluice.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.sluice.config.ConfigException;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

class TokenBucketTest {

    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    /** A clock the test moves by hand. */
    private static final class FakeClock implements LongSupplier {
        long now = 1_000_000_000_000L;

        @Override
        public long getAsLong() {
            return now;
        }

        void advance(long nanos) {
            now += nanos;
        }
    }

    private final FakeClock clock = new FakeClock();

    private TokenBucket bucket(String json) {
        return TokenBucket.fromJson(new JsonObject(json), "producer.rate", clock);
    }

    @Test
    void anUnlimitedBucketDoesNotReadTheClockPerReservation() {
        long[] reads = {0};
        TokenBucket bucket = TokenBucket.fromJson(new JsonObject("{}"), "producer.rate", () -> {
            reads[0]++;
            return clock.getAsLong();
        });
        long atStart = reads[0];

        for (int i = 0; i < 1_000; i++) {
            assertThat(bucket.reserve(1, 230)).isZero();
        }

        // the producer reserves once per event; with nothing to earn, a clock read per event is pure cost
        assertThat(reads[0] - atStart).isZero();
    }

    @Test
    void aBucketLimitedAfterALongUnlimitedStretchStartsFullAndEarnsFromThen() {
        TokenBucket bucket = bucket("{}");
        clock.advance(3_600 * SECOND);

        bucket.setRate(1000, 0);

        for (int i = 0; i < 1000; i++) {
            assertThat(bucket.reserve(1, 0, SECOND))
                    .as("send %d of the burst", i)
                    .isZero();
        }
        assertThat(bucket.reserve(1, 0, SECOND)).isEqualTo(MS); // the hour unlimited earned nothing beyond the burst
        clock.advance(2 * MS);
        assertThat(bucket.reserve(1, 0, SECOND)).isZero(); // one token owed, two earned since
    }

    @Test
    void burstIsServedAtOnceThenTheSteadyRateSpacesSends() {
        TokenBucket bucket = bucket("{\"messagesPerSecond\":1000,\"burst\":10}");

        for (int i = 0; i < 10; i++) {
            assertThat(bucket.reserve(1, 0, SECOND))
                    .as("send %d of the burst", i)
                    .isZero();
        }
        // The 11th waits one token period (1 ms), the 12th two, and so on: sends are spaced at the rate.
        assertThat(bucket.reserve(1, 0, SECOND)).isEqualTo(MS);
        assertThat(bucket.reserve(1, 0, SECOND)).isEqualTo(2 * MS);
        assertThat(bucket.reserve(1, 0, SECOND)).isEqualTo(3 * MS);
    }

    @Test
    void steadyRateOverOneSecondAdmitsRateTimesTime() {
        TokenBucket bucket = bucket("{\"messagesPerSecond\":500,\"burst\":1}");
        int sentWithoutWaiting = 0;
        for (int tick = 0; tick < 1000; tick++) { // every 1 ms for one second, one attempt per tick
            if (bucket.reserve(1, 0, 0) == 0) {
                sentWithoutWaiting++;
            }
            clock.advance(MS);
        }
        assertThat(sentWithoutWaiting).isBetween(499, 501);
    }

    @Test
    void refillIsProportionalToElapsedTimeAndCappedAtTheBurst() {
        TokenBucket bucket = bucket("{\"messagesPerSecond\":100,\"burst\":50}");
        assertThat(bucket.reserve(50, 0, 0)).isZero();
        assertThat(bucket.availableMessages()).isCloseTo(0, within(1e-9));

        clock.advance(100 * MS); // 10 tokens
        assertThat(bucket.availableMessages()).isCloseTo(10, within(1e-9));
        assertThat(bucket.reserve(10, 0, 0)).isZero();
        assertThat(bucket.reserve(1, 0, 0)).isEqualTo(-1);

        clock.advance(10 * SECOND); // far more than the burst
        assertThat(bucket.availableMessages()).isCloseTo(50, within(1e-9));
        assertThat(bucket.reserve(51, 0, 0)).isEqualTo(-1);
        assertThat(bucket.reserve(50, 0, 0)).isZero();
    }

    @Test
    void rejectionPastMaxWaitConsumesNothing() {
        TokenBucket bucket = bucket("{\"messagesPerSecond\":10,\"burst\":1}");
        assertThat(bucket.reserve(1, 0, 0)).isZero();

        // Next token in 100 ms: a 50 ms limit refuses, and refusing takes nothing...
        assertThat(bucket.reserve(1, 0, 50 * MS)).isEqualTo(-1);
        assertThat(bucket.reserve(1, 0, 50 * MS)).isEqualTo(-1);
        // ...so a caller accepting 100 ms still gets the first free slot, not a later one.
        assertThat(bucket.reserve(1, 0, 100 * MS)).isEqualTo(100 * MS);
        // Reservations queue in time, each one further out, until the limit refuses.
        assertThat(bucket.reserve(1, 0, 250 * MS)).isEqualTo(200 * MS);
        assertThat(bucket.reserve(1, 0, 250 * MS)).isEqualTo(-1);
    }

    @Test
    void configuredMaxWaitIsUsedByTheShortForm() {
        TokenBucket bucket = bucket("{\"messagesPerSecond\":10,\"burst\":1,\"maxWaitMs\":150}");
        assertThat(bucket.maxWaitNanos()).isEqualTo(150 * MS);

        assertThat(bucket.reserve(1, 0)).isZero();
        assertThat(bucket.reserve(1, 0)).isEqualTo(100 * MS);
        assertThat(bucket.reserve(1, 0)).isEqualTo(-1); // would be 200 ms
    }

    @Test
    void requestLargerThanTheBurstWaitsProportionally() {
        TokenBucket bucket = bucket("{\"messagesPerSecond\":100,\"burst\":10}");

        assertThat(bucket.reserve(30, 0, SECOND)).isEqualTo(200 * MS); // 20 missing tokens at 100/s
        assertThat(bucket.availableMessages()).isCloseTo(-20, within(1e-9));
        clock.advance(200 * MS);
        assertThat(bucket.availableMessages()).isCloseTo(0, within(1e-9));
    }

    @Test
    void bytesAreLimitedIndependentlyAndTheLongerWaitWins() {
        TokenBucket bucket =
                bucket("{\"messagesPerSecond\":1000,\"bytesPerSecond\":10000,\"burst\":100,\"burstBytes\":1000}");

        assertThat(bucket.reserve(5, 1000, SECOND)).isZero();
        // Messages are plentiful (95 left) but bytes are exhausted: 500 bytes at 10000 B/s = 50 ms.
        assertThat(bucket.reserve(5, 500, SECOND)).isEqualTo(50 * MS);
        // A byte refusal takes no message tokens either.
        double messagesBefore = bucket.availableMessages();
        assertThat(bucket.reserve(1, 10_000, 10 * MS)).isEqualTo(-1);
        assertThat(bucket.availableMessages()).isEqualTo(messagesBefore);
    }

    @Test
    void byteBurstDefaultsToTheMessageBurstDuration() {
        TokenBucket bucket = bucket("{\"messagesPerSecond\":1000,\"bytesPerSecond\":200000,\"burst\":100}");
        // 100 messages = 0.1 s of burst; 0.1 s of 200000 B/s = 20000 bytes.
        assertThat(bucket.burstBytes()).isEqualTo(20_000);

        TokenBucket bytesOnly = bucket("{\"bytesPerSecond\":5000}");
        assertThat(bytesOnly.burstBytes()).isEqualTo(5000); // one second of bytes
        assertThat(bytesOnly.reserve(1000, 5000, 0)).isZero(); // messages unlimited
        assertThat(bytesOnly.reserve(1, 1, 0)).isEqualTo(-1);
    }

    @Test
    void defaultMessageBurstIsOneSecondOfRate() {
        TokenBucket bucket = bucket("{\"messagesPerSecond\":250}");

        assertThat(bucket.burstMessages()).isEqualTo(250);
        assertThat(bucket.reserve(250, 0, 0)).isZero();
        assertThat(bucket.reserve(1, 0, 0)).isEqualTo(-1);
    }

    @Test
    void unlimitedNeverWaitsAndReportsInfiniteTokens() {
        TokenBucket bucket = bucket("{\"messagesPerSecond\":0,\"bytesPerSecond\":0}");

        for (int i = 0; i < 100_000; i++) {
            assertThat(bucket.reserve(1000, 1_000_000, 0)).isZero();
        }
        assertThat(bucket.isUnlimited()).isTrue();
        assertThat(bucket.availableMessages()).isInfinite();
        assertThat(TokenBucket.fromJson(null, "p", clock).isUnlimited()).isTrue();
        assertThat(TokenBucket.unlimited(clock).reserve(1, 1, 0)).isZero();
    }

    @Test
    void setRateChangesTheSpacingAndCapsTokensAtTheNewBurst() {
        TokenBucket bucket = bucket("{\"messagesPerSecond\":1000,\"bytesPerSecond\":0}");
        assertThat(bucket.availableMessages()).isEqualTo(1000); // default burst: one second

        bucket.setRate(10, 0);

        assertThat(bucket.messagesPerSecond()).isEqualTo(10);
        assertThat(bucket.bytesPerSecond()).isZero();
        assertThat(bucket.burstMessages()).isEqualTo(10); // derived burst follows the rate
        assertThat(bucket.availableMessages()).isEqualTo(10); // capped
        assertThat(bucket.reserve(10, 0, 0)).isZero();
        assertThat(bucket.reserve(1, 0, SECOND)).isEqualTo(100 * MS); // new spacing
    }

    @Test
    void setRateKeepsAConfiguredBurstAndCreditsTimeAtTheOldRate() {
        TokenBucket bucket = bucket("{\"messagesPerSecond\":100,\"burst\":20}");
        assertThat(bucket.reserve(20, 0, 0)).isZero();
        clock.advance(100 * MS); // 10 tokens earned at 100/s

        bucket.setRate(1, 0);

        assertThat(bucket.burstMessages()).isEqualTo(20);
        assertThat(bucket.availableMessages()).isCloseTo(10, within(1e-9));
        clock.advance(SECOND); // 1 more at the new rate
        assertThat(bucket.availableMessages()).isCloseTo(11, within(1e-9));
    }

    @Test
    void switchingFromUnlimitedToLimitedStartsFullAndBack() {
        TokenBucket bucket = TokenBucket.unlimited(clock);

        bucket.setRate(50, 1000);
        assertThat(bucket.availableMessages()).isEqualTo(50);
        assertThat(bucket.availableBytes()).isEqualTo(1000);
        assertThat(bucket.reserve(50, 1000, 0)).isZero();
        assertThat(bucket.reserve(1, 0, 0)).isEqualTo(-1);

        bucket.setRate(0, 0);
        assertThat(bucket.reserve(1_000_000, 1_000_000, 0)).isZero();
    }

    @Test
    void invalidArgumentsAreRejected() {
        TokenBucket bucket = bucket("{\"messagesPerSecond\":10}");
        assertThatThrownBy(() -> bucket.setRate(-1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> bucket.setRate(Double.NaN, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> bucket.setRate(0, Double.POSITIVE_INFINITY))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> bucket.reserve(-1, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> bucket.reserve(1, 0, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(bucket.messagesPerSecond()).isEqualTo(10); // unchanged by the refused call
    }

    @Test
    void configErrorsNameTheKeyAndTheRange() {
        assertThatThrownBy(() -> bucket("{\"messagesPerSecond\":-5}"))
                .isInstanceOf(ConfigException.class)
                .hasMessage(
                        "producer.rate.messagesPerSecond: must be a number from 0 to 1000000000000 (0 = unlimited), got -5");
        assertThatThrownBy(() -> bucket("{\"bytesPerSecond\":\"fast\"}"))
                .hasMessageStartingWith("producer.rate.bytesPerSecond: ")
                .hasMessageContaining("got 'fast'");
        assertThatThrownBy(() -> bucket("{\"messagesPerSecond\":10,\"burst\":0}"))
                .hasMessageStartingWith("producer.rate.burst: must be an integer from 1 ");
        assertThatThrownBy(() -> bucket("{\"messagesPerSecond\":10,\"burst\":1.5}"))
                .hasMessageStartingWith("producer.rate.burst: ");
        assertThatThrownBy(() -> bucket("{\"maxWaitMs\":-1}"))
                .hasMessageStartingWith("producer.rate.maxWaitMs: must be an integer from 0 to 3600000");
        assertThatThrownBy(() -> bucket("{\"messagesPerSec\":10}"))
                .hasMessageStartingWith("producer.rate.messagesPerSec: unknown key");
    }
}
