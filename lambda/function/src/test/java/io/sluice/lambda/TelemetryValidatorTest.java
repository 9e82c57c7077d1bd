package io.sluice.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.lambda.record.InvalidRecordException;
import io.sluice.lambda.record.TelemetryEvent;
import io.sluice.lambda.record.TelemetryValidator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TelemetryValidatorTest {

    private final TelemetryValidator validator = new TelemetryValidator(Dispatcher.MAPPER);

    static Stream<Arguments> invalidValues() throws IOException {
        List<Arguments> out = new ArrayList<>();
        for (JsonNode c : Dispatcher.MAPPER.readTree(Fixtures.bytes("events/invalid-values.json"))) {
            out.add(Arguments.of(c.get("value").asText(), c.get("reason").asText()));
        }
        return out.stream();
    }

    @ParameterizedTest
    @MethodSource("invalidValues")
    void rejectsWithAReasonNamingTheField(String value, String reason) {
        assertThatThrownBy(() -> validator.validate(value.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessageContaining(reason);
    }

    @Test
    void acceptsAFullEventAndKeepsExtraFields() throws Exception {
        TelemetryEvent e = validator.validate(("{\"eventId\":\"e-1\",\"code\":301,\"truckId\":\"T-00042\","
                        + "\"timestamp\":1732900000000,\"seq\":17,\"speed\":88.5}")
                .getBytes(StandardCharsets.UTF_8));

        assertThat(e.eventId()).isEqualTo("e-1");
        assertThat(e.code()).isEqualTo(301);
        assertThat(e.truckId()).isEqualTo("T-00042");
        assertThat(e.timestamp()).isEqualTo(1732900000000L);
        assertThat(e.seq()).isEqualTo(17L);
        assertThat(Dispatcher.MAPPER.readTree(e.json()).get("speed").doubleValue())
                .isEqualTo(88.5);
    }

    @Test
    void seqIsOptionalAndNullMeansAbsent() throws InvalidRecordException {
        assertThat(validator
                        .validate("{\"eventId\":\"e\",\"code\":1,\"truckId\":\"T\",\"timestamp\":0}"
                                .getBytes(StandardCharsets.UTF_8))
                        .seq())
                .isNull();
        assertThat(validator
                        .validate("{\"eventId\":\"e\",\"code\":1,\"truckId\":\"T\",\"timestamp\":0,\"seq\":null}"
                                .getBytes(StandardCharsets.UTF_8))
                        .seq())
                .isNull();
    }
}
