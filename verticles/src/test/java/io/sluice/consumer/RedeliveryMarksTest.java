package io.sluice.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The suspect rule: below max(end offset at assignment, highest fetched + 1); growing with each fetch. */
@Timeout(10)
class RedeliveryMarksTest {
    private static final TopicPartition TP = new TopicPartition("t", 0);

    @Test
    void aPartitionTakenOverIsSuspectUpToItsEndOffsetAtAssignment() {
        RedeliveryMarks m = new RedeliveryMarks();
        m.assigned(TP, 120); // the previous owner may have delivered anything below 120 it fetched
        assertThat(m.suspectBelow(TP)).isEqualTo(120);
        m.fetched(TP, 149);
        assertThat(m.suspectBelow(TP))
                .as("a later seek back to 130 re-fetches what was handed out")
                .isEqualTo(150);
    }

    @Test
    void recordsAppendedAfterTheAssignmentAreFirstDeliveries() {
        RedeliveryMarks m = new RedeliveryMarks();
        m.assigned(TP, 0);
        assertThat(m.suspectBelow(TP)).isZero();
        long below = m.suspectBelow(TP); // read before the poll's records are noted
        m.fetched(TP, 9);
        assertThat(below).isZero();
        assertThat(m.suspectBelow(TP)).isEqualTo(10);
    }

    @Test
    void aReassignmentRemembersWhatThisProcessFetchedBefore() {
        RedeliveryMarks m = new RedeliveryMarks();
        m.assigned(TP, 0);
        m.fetched(TP, 499);
        m.assigned(TP, 300); // end offset read lower than what we fetched (a truncated log or a stale read)
        assertThat(m.suspectBelow(TP)).isEqualTo(500);
    }

    @Test
    void anUnknownEndOffsetMakesEverythingASuspect() {
        RedeliveryMarks m = new RedeliveryMarks();
        m.assigned(TP, -1);
        assertThat(m.suspectBelow(TP)).isEqualTo(Long.MAX_VALUE);
        m.fetched(TP, 10);
        assertThat(m.suspectBelow(TP)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void aPartitionNeverAssignedMarksNothing() {
        assertThat(new RedeliveryMarks().suspectBelow(TP)).isZero();
    }
}
