package io.sluice.producer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KeyLedgerTest {
    private final KeyLedger<String> ledger = new KeyLedger<>();

    @Test
    void aKeyWithSpooledEventsSpoolsItsNextEventsUntilTheyAreDrained() {
        assertThat(ledger.route("k", "e1", true, false)).isEqualTo(KeyLedger.Route.SPOOL);
        assertThat(ledger.route("k", "e2", false, false))
                .as("Kafka is back, but e1 is still spooled")
                .isEqualTo(KeyLedger.Route.SPOOL);
        assertThat(ledger.route("other", "o1", false, false)).isEqualTo(KeyLedger.Route.SEND);
        ledger.unspooled("k");
        assertThat(ledger.route("k", "e3", false, false)).isEqualTo(KeyLedger.Route.SPOOL);
        ledger.unspooled("k");
        ledger.unspooled("k");
        assertThat(ledger.route("k", "e4", false, false)).isEqualTo(KeyLedger.Route.SEND);
    }

    @Test
    void anEventThatMustBeSpooledWaitsBehindItsKeysSendsAndAFailedSendIsSpooledFirst() {
        assertThat(ledger.route("k", "e1", false, false)).isEqualTo(KeyLedger.Route.SEND);
        assertThat(ledger.route("k", "e2", true, false))
                .as("Kafka went down while e1 is on its way")
                .isEqualTo(KeyLedger.Route.HOLD);
        assertThat(ledger.route("k", "e3", false, false))
                .as("behind a held event")
                .isEqualTo(KeyLedger.Route.HOLD);
        assertThat(ledger.held()).isEqualTo(2);
        assertThat(ledger.directDone("k", true)).containsExactly("e2", "e3");
        assertThat(ledger.spooled()).isEqualTo(1);
        assertThat(ledger.route("k", "e2", false, false))
                .as("e1 went to the spool first")
                .isEqualTo(KeyLedger.Route.SPOOL);
        assertThat(ledger.route("k", "e3", false, false)).isEqualTo(KeyLedger.Route.SPOOL);
        assertThat(ledger.held()).isZero();
    }

    @Test
    void aFullBoundSpoolsIdleKeysAndAnAcknowledgedSendReleasesTheHeldOnes() {
        assertThat(ledger.route("a", "a1", false, false)).isEqualTo(KeyLedger.Route.SEND);
        assertThat(ledger.route("a", "a2", false, true)).isEqualTo(KeyLedger.Route.HOLD);
        assertThat(ledger.route("b", "b1", false, true)).isEqualTo(KeyLedger.Route.SPOOL);
        assertThat(ledger.directDone("a", false)).containsExactly("a2");
        assertThat(ledger.route("a", "a2", false, false)).isEqualTo(KeyLedger.Route.SEND);
        ledger.directDone("a", false);
        ledger.unspooled("b");
        assertThat(ledger.keys()).isZero();
    }

    @Test
    void keysRecoveredFromTheSpoolGoBehindTheirSpooledEvents() {
        ledger.recovered("k");
        assertThat(ledger.route("k", "new", false, false)).isEqualTo(KeyLedger.Route.SPOOL);
        assertThat(ledger.route("x", "x1", false, false)).isEqualTo(KeyLedger.Route.SEND);
    }
}
