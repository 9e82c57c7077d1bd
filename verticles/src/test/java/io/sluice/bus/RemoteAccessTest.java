package io.sluice.bus;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class RemoteAccessTest {
    private final RemoteAccess access = new RemoteAccess(List.of("orders-service"));

    @Test
    void sameJvmRequestsAreAlwaysServed() {
        assertThat(access.decide(Addresses.PRODUCE, false, null, true)).isInstanceOf(RemoteAccess.Serve.class);
    }

    @Test
    void remoteCallersOutsideTheListAreRefusedWith403() {
        assertThat(access.decide(Addresses.PRODUCE_BATCH, true, "intruder", false))
                .isEqualTo(
                        new RemoteAccess.Refuse(403, "forbidden: caller 'intruder' is not in cluster.allowedCallers"));
        assertThat(access.decide(Addresses.PRODUCER_RATE, true, null, false))
                .isInstanceOf(RemoteAccess.Refuse.class)
                .hasToString(
                        "Refuse[code=403, message=forbidden: caller (no sluice-caller header) is not in cluster.allowedCallers]");
    }

    @Test
    void allowedCallersAreServedUntilTheStop() {
        assertThat(access.decide(Addresses.PRODUCE, true, "orders-service", false))
                .isInstanceOf(RemoteAccess.Serve.class);
        assertThat(access.decide(Addresses.PRODUCE, true, "orders-service", true))
                .isEqualTo(new RemoteAccess.Refuse(503, "stopping: Sluice is shutting down"));
    }

    @Test
    void otherAddressesAreNotGated() {
        assertThat(access.decide("some.app.address", true, null, false)).isInstanceOf(RemoteAccess.Serve.class);
    }
}
